package scaledjpeg

import (
	"bytes"
	"image/jpeg"
	"os"
	"testing"
)

// FuzzDecode feeds mutated JPEGs to every scale. Nothing may panic; whatever
// image/jpeg decodes, Decode decodes too, at the scaled or the full size; and
// the DC-only path, when it accepts a file, returns exactly 1/8 of the size
// the header declares.
func FuzzDecode(f *testing.F) {
	for _, path := range stdlibJPEGs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<20 {
			return // the pipeline checks limits from the header before decoding
		}
		if img, err := decodeDC(data); err == nil {
			w, h := ScaledSize(cfg.Width, cfg.Height, 8)
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Fatalf("DC-only decode of a %dx%d JPEG is %v, want %dx%d", cfg.Width, cfg.Height, b.Size(), w, h)
			}
		}
		_, stdErr := jpeg.Decode(bytes.NewReader(data))
		for _, denom := range []int{8, 4, 2} {
			img, err := Decode(data, ReadHeader(data), denom)
			if stdErr == nil && err != nil {
				t.Fatalf("image/jpeg decodes it, Decode at 1/%d fails: %v", denom, err)
			}
			if err != nil {
				continue
			}
			w, h := ScaledSize(cfg.Width, cfg.Height, denom)
			b := img.Bounds()
			if (b.Dx() != w || b.Dy() != h) && (b.Dx() != cfg.Width || b.Dy() != cfg.Height) {
				t.Fatalf("1/%d decode of a %dx%d JPEG is %v", denom, cfg.Width, cfg.Height, b.Size())
			}
		}
	})
}
