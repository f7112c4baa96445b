package scaledjpeg

import (
	"image"
	"math"
)

// minAgreementPSNR is how close (in dB, over the luma and chroma planes) a
// decode must come to the DC-only image of the same file to be trusted. The
// DC-only image is the exact mean of every 8x8 block, so a faithful decode,
// averaged over the same blocks, differs from it only by rounding and
// clipping (about 45 dB and up on photos); a decoder that resynchronised
// past an error, filled missing data or used the wrong tables lands far
// below (a solid-colour or half-grey picture is 10-20 dB).
const minAgreementPSNR = 30

// agrees reports whether img, decoded at 1/denom of the source (denom 1, 2
// or 4), averaged over 8/denom x 8/denom pixels matches dc, the 1/8 DC-only
// image. The last row and column of blocks are left out: there a block's
// mean covers the encoder's padding too.
func agrees(img, dc image.Image, denom int) bool {
	f := 8 / denom
	switch dc := dc.(type) {
	case *image.Gray:
		g, ok := img.(*image.Gray)
		return ok && planePSNR(g.Pix, g.Stride, dc.Pix, dc.Stride, dc.Rect.Dx(), dc.Rect.Dy(), f) >= minAgreementPSNR
	case *image.YCbCr:
		y, ok := img.(*image.YCbCr)
		if !ok {
			return false
		}
		if y.SubsampleRatio != dc.SubsampleRatio {
			// A layout the DC-only image holds as 4:4:4: luma alone
			// is compared, at full resolution in both.
			return planePSNR(y.Y, y.YStride, dc.Y, dc.YStride, dc.Rect.Dx(), dc.Rect.Dy(), f) >= minAgreementPSNR
		}
		cw, ch := dc.CStride, len(dc.Cb)/max(dc.CStride, 1)
		if cw*dc.Rect.Dx() == 0 {
			return false
		}
		// Chroma planes hold as many samples per block as luma does
		// per pixel of the DC image scaled by the chroma ratio.
		fy := planePSNR(y.Y, y.YStride, dc.Y, dc.YStride, dc.Rect.Dx(), dc.Rect.Dy(), f)
		fcb := planePSNR(y.Cb, y.CStride, dc.Cb, dc.CStride, cw, ch, f)
		fcr := planePSNR(y.Cr, y.CStride, dc.Cr, dc.CStride, cw, ch, f)
		return min(fy, fcb, fcr) >= minAgreementPSNR
	}
	return false
}

// planePSNR compares plane a, averaged over f x f samples, with plane b of
// w x h samples, leaving out b's last row and column, in dB.
func planePSNR(a []uint8, aStride int, b []uint8, bStride, w, h, f int) float64 {
	w, h = w-1, h-1
	if w <= 0 || h <= 0 {
		return math.Inf(1)
	}
	if (h*f-1)*aStride+w*f > len(a) || (h-1)*bStride+w > len(b) {
		return 0
	}
	var sum float64
	n := float64(f * f)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			total := 0
			for dy := 0; dy < f; dy++ {
				row := a[(y*f+dy)*aStride+x*f:]
				for dx := 0; dx < f; dx++ {
					total += int(row[dx])
				}
			}
			d := float64(total)/n - float64(b[y*bStride+x])
			sum += d * d
		}
	}
	mse := sum / float64(w*h)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}
