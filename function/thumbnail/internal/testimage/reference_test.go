package testimage

import (
	"image"
	"os"
	"path/filepath"
	"testing"
)

func TestReadNetpbm(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		want       image.Image
	}{
		{"P5 grey", "P5\n2 1\n255\n\x00\xff", &image.Gray{Pix: []uint8{0, 255}, Stride: 2, Rect: image.Rect(0, 0, 2, 1)}},
		{"P6 RGB", "P6 1 1 255\n\x01\x02\x03", &image.RGBA{Pix: []uint8{1, 2, 3, 255}, Stride: 4, Rect: image.Rect(0, 0, 1, 1)}},
		{"P7 RGB_ALPHA", "P7\nWIDTH 1\nHEIGHT 1\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n\x01\x02\x03\x04",
			&image.NRGBA{Pix: []uint8{1, 2, 3, 4}, Stride: 4, Rect: image.Rect(0, 0, 1, 1)}},
		{"16-bit PGM", "P5 1 1 65535\n\x00\x01", nil},
		{"P7 grey", "P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n\x01", nil},
		{"cut short", "P6 2 2 255\n\x01\x02", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadNetpbm(path)
			if tt.want == nil {
				if err == nil {
					t.Errorf("read %T, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !imagesEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// imagesEqual compares two images of the same type pixel by pixel.
func imagesEqual(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestCwebpDwebpRoundTrip: a photo written lossless by Cwebp comes back
// from Dwebp sample for sample; a lossy one close to it on average.
func TestCwebpDwebpRoundTrip(t *testing.T) {
	src := Photo(64, 48)
	for _, tt := range []struct {
		args     []string
		meanDiff float64 // largest mean difference of a sample, in levels
	}{{[]string{"-lossless"}, 0}, {[]string{"-q", "90"}, 8}} {
		data, err := Cwebp(src, tt.args...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Dwebp(data)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != src.Bounds() {
			t.Fatalf("%v: %v, want %v", tt.args, got.Bounds(), src.Bounds())
		}
		total := 0
		for y := 0; y < 48; y++ {
			for x := 0; x < 64; x++ {
				a, b := got.NRGBAAt(x, y), src.RGBAAt(x, y)
				total += absDiff(a.R, b.R) + absDiff(a.G, b.G) + absDiff(a.B, b.B)
			}
		}
		if mean := float64(total) / (64 * 48 * 3); mean > tt.meanDiff {
			t.Errorf("%v: samples %.2f levels off on average, want at most %.0f", tt.args, mean, tt.meanDiff)
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
