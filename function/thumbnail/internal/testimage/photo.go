// Package testimage makes deterministic photo-like test images and their
// encodings, so that benchmarks need no large committed files.
package testimage

import (
	"image"
	"math"
	"math/rand/v2"
)

// Photo returns a w x h opaque image that compresses like a photograph:
// smooth colour gradients, fine texture and sensor-like noise, and hard
// edges (stripes and a disc). The same size always gives the same pixels.
func Photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	// Separable gradient terms: sin(a+b) = sin a cos b + cos a sin b.
	colS, colC := wave(w, 6.3), wave(w, 1.7)
	rowS, rowC := wave(h, 2.0), wave(h, 5.1)
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h)
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			fx := float64(x) / float64(w)
			r := 128 + 100*(colS[x].sin*rowS[y].cos+colS[x].cos*rowS[y].sin)
			g := 128 + 90*(rowC[y].cos*colC[x].cos+rowC[y].sin*colC[x].sin)
			b := 128 + 80*math.Sin((fx+fy)*4)
			// Texture: a fine pattern whose phase drifts across the frame.
			t := 14 * math.Sin(float64(x)*0.9+float64(y)*0.35+8*fx*fy)
			r, g, b = r+t, g+t, b+t
			if (int(fx*20)+int(fy*15))%7 == 0 { // stripes
				r, g, b = r*0.4, g*0.4, b*0.4
			}
			if dx, dy := fx-0.5, fy-0.5; dx*dx+dy*dy < 0.04 { // a disc
				r, g, b = 240-r*0.3, 230-g*0.2, 60
			}
			n := float64(int(rng.Uint32()%25) - 12) // noise of +-12 levels
			row[4*x+0] = clamp(r + n)
			row[4*x+1] = clamp(g + n*0.8)
			row[4*x+2] = clamp(b + n*1.1)
			row[4*x+3] = 255
		}
	}
	return img
}

// sincos holds sin and cos of one phase.
type sincos struct{ sin, cos float64 }

// wave tabulates sin and cos of freq * i/n for i in [0, n).
func wave(n int, freq float64) []sincos {
	out := make([]sincos, n)
	for i := range out {
		s, c := math.Sincos(freq * float64(i) / float64(n))
		out[i] = sincos{s, c}
	}
	return out
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}
