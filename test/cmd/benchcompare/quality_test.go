package main

import (
	"image"
	"math"
	"testing"
)

func TestFillCrop(t *testing.T) {
	tests := []struct {
		name             string
		w, h, boxW, boxH int
		want             image.Rectangle
	}{
		{"landscape to square", 4000, 3000, 128, 128, image.Rect(500, 0, 3500, 3000)},
		{"portrait to square", 3000, 4000, 128, 128, image.Rect(0, 500, 3000, 3500)},
		{"same aspect", 400, 200, 200, 100, image.Rect(0, 0, 400, 200)},
		{"odd margin", 101, 100, 1, 1, image.Rect(0, 0, 100, 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fillCrop(tt.w, tt.h, tt.boxW, tt.boxH); got != tt.want {
				t.Errorf("fillCrop = %v, want %v", got, tt.want)
			}
		})
	}
}

// grey makes a one-channel plane from rows of samples.
func grey(rows ...[]float64) plane {
	p := plane{w: len(rows[0]), h: len(rows), ch: 1}
	for _, r := range rows {
		p.pix = append(p.pix, r...)
	}
	return p
}

func TestAreaAverage(t *testing.T) {
	src := grey(
		[]float64{0, 30, 60},
		[]float64{90, 120, 150},
		[]float64{180, 210, 240},
	)
	tests := []struct {
		name string
		r    image.Rectangle
		w, h int
		want []float64
	}{
		{"whole to one", image.Rect(0, 0, 3, 3), 1, 1, []float64{120}},
		{"identity", image.Rect(0, 0, 3, 3), 3, 3, src.pix},
		// 3 -> 2 splits the middle sample in halves: (0 + 30/2) / 1.5 = 10.
		{"fractional", image.Rect(0, 0, 3, 1), 2, 1, []float64{10, 50}},
		{"crop", image.Rect(1, 1, 3, 3), 1, 1, []float64{180}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := areaAverage(src, tt.r, tt.w, tt.h)
			for i, v := range tt.want {
				if math.Abs(got.pix[i]-v) > 1e-9 {
					t.Fatalf("sample %d = %v, want %v (all %v)", i, got.pix[i], v, got.pix)
				}
			}
		})
	}
}

func TestPSNRAndSSIM(t *testing.T) {
	flat := make([]float64, 16*16)
	ramp := make([]float64, 16*16)
	for i := range ramp {
		flat[i] = 100
		ramp[i] = float64(i % 256)
	}
	a := plane{w: 16, h: 16, ch: 1, pix: ramp}
	if got := psnr(a, a); !math.IsInf(got, 1) {
		t.Errorf("PSNR of an image with itself = %v, want +Inf", got)
	}
	if got := ssim(a, a); math.Abs(got-1) > 1e-12 {
		t.Errorf("SSIM of an image with itself = %v, want 1", got)
	}
	// Every sample off by 1: MSE 1, PSNR = 20 log10(255).
	off := plane{w: 16, h: 16, ch: 1, pix: make([]float64, len(ramp))}
	for i, v := range ramp {
		off.pix[i] = v + 1
	}
	if got, want := psnr(a, off), 20*math.Log10(255); math.Abs(got-want) > 1e-9 {
		t.Errorf("PSNR with every sample off by one = %v, want %v", got, want)
	}
	if got := ssim(a, plane{w: 16, h: 16, ch: 1, pix: flat}); got > 0.5 {
		t.Errorf("SSIM of a ramp against a flat image = %v, want well under 1", got)
	}
}
