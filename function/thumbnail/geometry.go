package thumbnail

import "image"

// plan is how a stored image becomes the thumbnail: the part of the source kept
// and the size that part is resized to, both in stored orientation.
type plan struct {
	crop image.Rectangle // relative to the source's top-left corner
	w, h int             // output size
}

// planFor fits a srcW x srcH image into a boxW x boxH box in the given mode.
//   - ModeFill crops the centre to the box's aspect ratio, then scales to the box.
//   - ModeFit scales the whole image down until it fits; never up.
//   - ModeStretch scales the whole image to the box.
//
// Every side of the result is at least 1.
func planFor(srcW, srcH, boxW, boxH int, mode Mode) plan {
	full := image.Rect(0, 0, srcW, srcH)
	switch mode {
	case ModeFit:
		if srcW <= boxW && srcH <= boxH {
			return plan{crop: full, w: srcW, h: srcH}
		}
		if int64(srcW)*int64(boxH) >= int64(srcH)*int64(boxW) { // wider than the box
			return plan{crop: full, w: boxW, h: clamp(ratio(srcH, boxW, srcW), 1, boxH)}
		}
		return plan{crop: full, w: clamp(ratio(srcW, boxH, srcH), 1, boxW), h: boxH}
	case ModeStretch:
		return plan{crop: full, w: boxW, h: boxH}
	default: // ModeFill
		cropW, cropH := srcW, srcH
		if int64(srcW)*int64(boxH) > int64(srcH)*int64(boxW) {
			cropW = clamp(ratio(srcH, boxW, boxH), 1, srcW)
		} else {
			cropH = clamp(ratio(srcW, boxH, boxW), 1, srcH)
		}
		x0, y0 := (srcW-cropW)/2, (srcH-cropH)/2
		return plan{crop: image.Rect(x0, y0, x0+cropW, y0+cropH), w: boxW, h: boxH}
	}
}

// decodeTarget is the smallest decoded size of a srcW x srcH image from which
// p still scales down (never up) to its output: a scaled decoder may go as low.
func (p plan) decodeTarget(srcW, srcH int) (w, h int) {
	return ceilRatio(srcW, p.w, p.crop.Dx()), ceilRatio(srcH, p.h, p.crop.Dy())
}

// storedBox turns the requested box into stored orientation: orientations 5-8
// swap the axes, so the box swaps too.
func storedBox(boxW, boxH, orientation int) (w, h int) {
	if transposes(orientation) {
		return boxH, boxW
	}
	return boxW, boxH
}

// ratio is a*b/c rounded to nearest, in 64-bit so large sides cannot overflow.
func ratio(a, b, c int) int {
	return int((2*int64(a)*int64(b) + int64(c)) / (2 * int64(c)))
}

// ceilRatio is a*b/c rounded up.
func ceilRatio(a, b, c int) int {
	return int((int64(a)*int64(b) + int64(c) - 1) / int64(c))
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
