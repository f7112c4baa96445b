package thumbnail

import (
	"image"
	"testing"
)

// TestEncodeVP8L checks the fallback writer on its own: every image of the
// WebP table decodes to exactly its pixels.
func TestEncodeVP8L(t *testing.T) {
	for _, tt := range webpCases() {
		t.Run(tt.name, func(t *testing.T) {
			img := tt.img()
			data, err := encodeVP8L(img)
			if err != nil {
				t.Fatal(err)
			}
			wantSamePixels(t, data, img)
			if err := verifyWebP(data, img); err != nil {
				t.Errorf("verifyWebP: %v", err)
			}
		})
	}
}

// TestEncodeVP8LSize pins the fallback's size: 8 bits a channel that varies,
// 1 bit a channel of two values, none for a channel of one, plus the header
// and code declarations.
func TestEncodeVP8LSize(t *testing.T) {
	tests := []struct {
		name string
		img  *image.NRGBA
		size int
	}{
		{"128x128 opaque noise", noise(128, 128, 1<<24, false), 49296},           // 3 bytes a pixel
		{"128x128 noise with alpha", noise(128, 128, 1<<24, true), 65716},        // 4 bytes a pixel
		{"128x128 two colours", quadrants(128, 128, red, blue, blue, red), 4132}, // 2 bits a pixel,
		{"128x128 one colour", solid(128, 128, red), 34},
		{"1x1", solid(1, 1, red), 34},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := encodeVP8L(tt.img)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) != tt.size {
				t.Errorf("%d bytes, want %d", len(data), tt.size)
			}
		})
	}
}

// TestEncodeVP8LSizeLimits checks sides the 14-bit header fields cannot hold are refused.
func TestEncodeVP8LSizeLimits(t *testing.T) {
	tests := []struct {
		size image.Point
		ok   bool
	}{
		{image.Pt(0, 1), false},
		{image.Pt(1, 0), false},
		{image.Pt(vp8lMaxSide, 1), true},
		{image.Pt(1, vp8lMaxSide), true},
		{image.Pt(vp8lMaxSide+1, 1), false},
		{image.Pt(1, vp8lMaxSide+1), false},
	}
	for _, tt := range tests {
		img := image.NewNRGBA(image.Rectangle{Max: tt.size})
		data, err := encodeVP8L(img)
		if (err == nil) != tt.ok {
			t.Errorf("%v: error %v, want ok %v", tt.size, err, tt.ok)
			continue
		}
		if tt.ok {
			if err := verifyWebP(data, img); err != nil {
				t.Errorf("%v: %v", tt.size, err)
			}
		}
	}
}
