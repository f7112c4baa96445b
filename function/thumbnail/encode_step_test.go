package thumbnail

import (
	"bytes"
	"image"
	"testing"
)

// TestEncodeGIFTransparency checks GIF output keeps fully transparent pixels
// transparent and opaque ones opaque.
func TestEncodeGIFTransparency(t *testing.T) {
	src := quadrants(32, 32, red, green, blue, white)
	for y := 0; y < 16; y++ {
		for x := 0; x < 32; x++ {
			src.Pix[src.PixOffset(x, y)+3] = 0 // top half transparent
		}
	}
	var buf bytes.Buffer
	if err := encodeGIF(&buf, src, Options{}); err != nil {
		t.Fatal(err)
	}
	img := decodeResult(t, &Result{Data: buf.Bytes(), Format: GIF, Width: 32, Height: 32})
	if got := rgba8(img.At(4, 4)); got[3] != 0 {
		t.Errorf("transparent pixel became %v", got)
	}
	if got := rgba8(img.At(4, 28)); !near(got, rgba8(blue), 40) {
		t.Errorf("opaque blue pixel became %v", got)
	}
}

// BenchmarkEncode times writing a 128x128 thumbnail in each output format.
func BenchmarkEncode(b *testing.B) {
	r, err := Make(bytes.NewReader(readTestdata(b, "video-001.jpeg")), Options{Format: PNG})
	if err != nil {
		b.Fatal(err)
	}
	thumb := image.NewNRGBA(image.Rect(0, 0, r.Width, r.Height))
	decoded := decodeResult(b, r)
	for y := 0; y < r.Height; y++ {
		for x := 0; x < r.Width; x++ {
			thumb.Set(x, y, decoded.At(x, y))
		}
	}
	for _, f := range []Format{JPEG, PNG, GIF, WebP} {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := codecOf(f).encode(&buf, thumb, DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
