package thumbnail

import "image"

// EXIF orientation values (TIFF tag 0x0112): how the stored pixels must be
// turned to stand upright.
const (
	orientNormal     = 1 // as stored
	orientFlipH      = 2 // mirrored left to right
	orientRotate180  = 3
	orientFlipV      = 4 // mirrored top to bottom
	orientTranspose  = 5 // mirrored along the top-left to bottom-right diagonal
	orientRotate90   = 6 // turned 90 degrees clockwise to display
	orientTransverse = 7 // mirrored along the top-right to bottom-left diagonal
	orientRotate270  = 8 // turned 90 degrees counter-clockwise to display
)

// applyOrientation turns the thumbnail upright.
func applyOrientation(j *job) error {
	j.thumb = orient(j.thumb, j.header.orientation)
	return nil
}

// transposes reports whether an orientation swaps width and height.
func transposes(orientation int) bool {
	return orientation >= orientTranspose && orientation <= orientRotate270
}

// orient returns src displayed as orientation o says; src itself when o is 1 or unknown.
func orient(src *image.NRGBA, o int) *image.NRGBA {
	if o <= orientNormal || o > orientRotate270 {
		return src
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if transposes(o) {
		dw, dh = sh, sw
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			sx, sy := storedPoint(o, x, y, sw, sh)
			si := src.PixOffset(b.Min.X+sx, b.Min.Y+sy)
			di := dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// storedPoint maps the displayed pixel (x, y) to the stored pixel it shows,
// for a stored image of sw x sh.
func storedPoint(o, x, y, sw, sh int) (sx, sy int) {
	switch o {
	case orientFlipH:
		return sw - 1 - x, y
	case orientRotate180:
		return sw - 1 - x, sh - 1 - y
	case orientFlipV:
		return x, sh - 1 - y
	case orientTranspose:
		return y, x
	case orientRotate90:
		return y, sh - 1 - x
	case orientTransverse:
		return sw - 1 - y, sh - 1 - x
	case orientRotate270:
		return sw - 1 - y, x
	}
	return x, y
}
