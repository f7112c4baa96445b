package scaledjpeg

import (
	"image"
	"math"
)

// minAgreementPSNR is how close (in dB, over the luma and chroma planes, or
// the RGB or CMYK channels) a decode must come to the DC-only image of the
// same file to be trusted. The
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
//
// An RGBA or CMYK image (RGB, CMYK and YCCK files, h's components) is
// compared channel by channel, each over whole blocks of the components it
// is made of (see channelCells): the DC-only image repeats a subsampled
// component's block means, while a full decode keeps the detail inside
// each block.
func agrees(img, dc image.Image, denom int, h Header) bool {
	f := 8 / denom
	switch dc := dc.(type) {
	case *image.RGBA:
		a, ok := img.(*image.RGBA)
		return ok && interleavedPSNR(a.Pix, a.Stride, dc.Pix, dc.Stride, dc.Rect, f, channelCells(h)) >= minAgreementPSNR
	case *image.CMYK:
		a, ok := img.(*image.CMYK)
		return ok && interleavedPSNR(a.Pix, a.Stride, dc.Pix, dc.Stride, dc.Rect, f, channelCells(h)) >= minAgreementPSNR
	case *image.Gray:
		g, ok := img.(*image.Gray)
		return ok && planePSNR(g.Pix, g.Stride, dc.Pix, dc.Stride, dc.Rect.Dx(), dc.Rect.Dy(), f, f, 1, 1) >= minAgreementPSNR
	case *image.YCbCr:
		y, ok := img.(*image.YCbCr)
		if !ok {
			return false
		}
		if y.SubsampleRatio != dc.SubsampleRatio {
			// A layout the DC-only image holds as 4:4:4: luma alone
			// is compared, at full resolution in both.
			return planePSNR(y.Y, y.YStride, dc.Y, dc.YStride, dc.Rect.Dx(), dc.Rect.Dy(), f, f, 1, 1) >= minAgreementPSNR
		}
		cw, ch := dc.CStride, len(dc.Cb)/max(dc.CStride, 1)
		if cw*dc.Rect.Dx() == 0 {
			return false
		}
		// Chroma planes hold as many samples per block as luma does
		// per pixel of the DC image scaled by the chroma ratio.
		fy := planePSNR(y.Y, y.YStride, dc.Y, dc.YStride, dc.Rect.Dx(), dc.Rect.Dy(), f, f, 1, 1)
		fcb := planePSNR(y.Cb, y.CStride, dc.Cb, dc.CStride, cw, ch, f, f, 1, 1)
		fcr := planePSNR(y.Cr, y.CStride, dc.Cr, dc.CStride, cw, ch, f, f, 1, 1)
		return min(fy, fcb, fcr) >= minAgreementPSNR
	}
	return false
}

// channelCells returns, for each channel of the RGBA or CMYK image a file of
// these components decodes to, the cell of DC-image pixels (fx x fy) over
// which a full decode's mean is the mean of whole blocks of every component
// the channel is made of: 1x1 for a channel of a component sampled at the
// finest, 2x2 for one of a 4:2:0-style component, and for YCCK's C, M and Y
// (each from Y, Cb and Cr) the coarsest of the three. A channel whose
// components' sampling the finest is not a multiple of is {0, 0}: left out.
func channelCells(h Header) [][2]int {
	comps := h.Components
	hMax, vMax := 1, 1
	for _, c := range comps {
		hMax, vMax = max(hMax, c.H), max(vMax, c.V)
	}
	cells := make([][2]int, min(len(comps), 4))
	for i := range cells {
		from := comps[i : i+1]
		if len(comps) == 4 && i < 3 && h.AdobeTransform != 0 {
			from = comps[:3] // YCCK
		}
		fx, fy := 1, 1
		for _, c := range from {
			if c.H < 1 || c.V < 1 || hMax%c.H != 0 || vMax%c.V != 0 {
				fx, fy = 0, 0
				break
			}
			fx, fy = max(fx, hMax/c.H), max(fy, vMax/c.V)
		}
		cells[i] = [2]int{fx, fy}
	}
	return cells
}

// interleavedPSNR compares the channels of a, an image of four bytes a
// pixel (RGBA, CMYK) decoded at f times the size of b, with those of b, a
// DC-only image of bounds r: each channel's means over its cells (see
// channelCells), the last row and column of cells left out. It returns the
// worst channel's, in dB.
func interleavedPSNR(a []uint8, aStride int, b []uint8, bStride int, r image.Rectangle, f int, cells [][2]int) float64 {
	worst := math.Inf(1)
	for ch, cell := range cells {
		fx, fy := cell[0], cell[1]
		if fx == 0 {
			continue
		}
		w, h := r.Dx()/fx, r.Dy()/fy // whole cells only
		if (r.Dx()-w*fx) == 0 && (r.Dy()-h*fy) == 0 {
			w, h = w-1, h-1
		}
		if w <= 0 || h <= 0 {
			continue
		}
		if ((h*fy*f-1)*aStride+(w*fx*f)*4 > len(a)) || (h*fy-1)*bStride+w*fx*4 > len(b) {
			return 0
		}
		na, nb := float64(fx*fy*f*f), float64(fx*fy)
		var sum float64
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				ta, tb := 0, 0
				for dy := 0; dy < fy*f; dy++ {
					row := a[(y*fy*f+dy)*aStride+x*fx*f*4+ch:]
					for dx := 0; dx < fx*f; dx++ {
						ta += int(row[4*dx])
					}
				}
				for dy := 0; dy < fy; dy++ {
					row := b[(y*fy+dy)*bStride+x*fx*4+ch:]
					for dx := 0; dx < fx; dx++ {
						tb += int(row[4*dx])
					}
				}
				d := float64(ta)/na - float64(tb)/nb
				sum += d * d
			}
		}
		if mse := sum / float64(w*h); mse > 0 {
			worst = min(worst, 10*math.Log10(255*255/mse))
		}
	}
	return worst
}

// planePSNR compares plane a, averaged over fx x fy samples, with plane b
// of w x h samples, leaving out b's last row and column, in dB. Samples are
// aStep and bStep bytes apart along a row: 1 for a plane, 4 for a channel
// of RGBA.
func planePSNR(a []uint8, aStride int, b []uint8, bStride, w, h, fx, fy, aStep, bStep int) float64 {
	w, h = w-1, h-1
	if w <= 0 || h <= 0 {
		return math.Inf(1)
	}
	if (h*fy-1)*aStride+(w*fx-1)*aStep+1 > len(a) || (h-1)*bStride+(w-1)*bStep+1 > len(b) {
		return 0
	}
	var sum float64
	n := float64(fx * fy)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			total := 0
			for dy := 0; dy < fy; dy++ {
				row := a[(y*fy+dy)*aStride+x*fx*aStep:]
				for dx := 0; dx < fx; dx++ {
					total += int(row[dx*aStep])
				}
			}
			d := float64(total)/n - float64(b[y*bStride+x*bStep])
			sum += d * d
		}
	}
	mse := sum / float64(w*h)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}
