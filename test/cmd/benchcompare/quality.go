package main

import (
	"image"
	"math"
)

// plane is a float image of one or more interleaved channels.
type plane struct {
	w, h, ch int
	pix      []float64
}

// rgbPlane reads the RGB of any image into a plane.
func rgbPlane(img image.Image) plane {
	b := img.Bounds()
	p := plane{w: b.Dx(), h: b.Dy(), ch: 3, pix: make([]float64, 3*b.Dx()*b.Dy())}
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			i := 3 * (y*p.w + x)
			p.pix[i], p.pix[i+1], p.pix[i+2] = float64(r>>8), float64(g>>8), float64(bl>>8)
		}
	}
	return p
}

// fillCrop is the centre of a srcW x srcH image with the aspect ratio of a
// boxW x boxH box: the part a fill-mode thumbnail shows.
func fillCrop(srcW, srcH, boxW, boxH int) image.Rectangle {
	cropW, cropH := srcW, srcH
	if srcW*boxH > srcH*boxW {
		cropW = (srcH*boxW + boxH/2) / boxH
	} else {
		cropH = (srcW*boxH + boxW/2) / boxW
	}
	x0, y0 := (srcW-cropW)/2, (srcH-cropH)/2
	return image.Rect(x0, y0, x0+cropW, y0+cropH)
}

// areaAverage resamples the part r of p to w x h, each output sample the
// exact mean of the source area it covers, fractional pixels weighted by
// the fraction covered. It is the ideal downscale a thumbnail is judged against.
func areaAverage(p plane, r image.Rectangle, w, h int) plane {
	// Horizontal pass: every source row of r to w samples.
	tmp := plane{w: w, h: r.Dy(), ch: p.ch, pix: make([]float64, w*r.Dy()*p.ch)}
	xs := spans(r.Min.X, r.Dx(), w)
	for y := 0; y < r.Dy(); y++ {
		src := p.pix[(r.Min.Y+y)*p.w*p.ch:]
		dst := tmp.pix[y*w*p.ch:]
		for ox, sp := range xs {
			for _, t := range sp {
				for c := 0; c < p.ch; c++ {
					dst[ox*p.ch+c] += t.weight * src[t.index*p.ch+c]
				}
			}
		}
	}
	// Vertical pass.
	out := plane{w: w, h: h, ch: p.ch, pix: make([]float64, w*h*p.ch)}
	for oy, sp := range spans(0, r.Dy(), h) {
		dst := out.pix[oy*w*p.ch : (oy+1)*w*p.ch]
		for _, t := range sp {
			src := tmp.pix[t.index*w*p.ch : (t.index+1)*w*p.ch]
			for i := range dst {
				dst[i] += t.weight * src[i]
			}
		}
	}
	return out
}

// tap is one source sample's weight in an output sample.
type tap struct {
	index  int
	weight float64
}

// spans splits n source samples starting at off into out equal intervals and
// returns, for each, the overlapping samples and their normalised weights.
func spans(off, n, out int) [][]tap {
	scale := float64(n) / float64(out)
	res := make([][]tap, out)
	for o := range res {
		lo, hi := float64(o)*scale, float64(o+1)*scale
		for i := int(lo); i < n && float64(i) < hi; i++ {
			cover := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
			if cover > 0 {
				res[o] = append(res[o], tap{index: off + i, weight: cover / scale})
			}
		}
	}
	return res
}

// psnr is the peak signal-to-noise ratio of a against b over all channels,
// in dB (+Inf when they are equal).
func psnr(a, b plane) float64 {
	var se float64
	for i := range a.pix {
		d := a.pix[i] - b.pix[i]
		se += d * d
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(len(a.pix))))
}

// luma converts an RGB plane to one channel of BT.601 luma.
func luma(p plane) plane {
	out := plane{w: p.w, h: p.h, ch: 1, pix: make([]float64, p.w*p.h)}
	for i := range out.pix {
		out.pix[i] = 0.299*p.pix[3*i] + 0.587*p.pix[3*i+1] + 0.114*p.pix[3*i+2]
	}
	return out
}

// ssim is the mean structural similarity (Wang et al. 2004) of two luma
// planes over every 8x8 window, with the usual constants for 8-bit samples.
func ssim(a, b plane) float64 {
	const win = 8
	c1, c2 := math.Pow(0.01*255, 2), math.Pow(0.03*255, 2)
	var sum float64
	var n int
	for y := 0; y+win <= a.h; y++ {
		for x := 0; x+win <= a.w; x++ {
			var ma, mb, va, vb, cov float64
			for j := 0; j < win; j++ {
				for i := 0; i < win; i++ {
					pa, pb := a.pix[(y+j)*a.w+x+i], b.pix[(y+j)*b.w+x+i]
					ma += pa
					mb += pb
				}
			}
			ma /= win * win
			mb /= win * win
			for j := 0; j < win; j++ {
				for i := 0; i < win; i++ {
					da, db := a.pix[(y+j)*a.w+x+i]-ma, b.pix[(y+j)*b.w+x+i]-mb
					va += da * da
					vb += db * db
					cov += da * db
				}
			}
			va /= win*win - 1
			vb /= win*win - 1
			cov /= win*win - 1
			sum += ((2*ma*mb + c1) * (2*cov + c2)) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
			n++
		}
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}
