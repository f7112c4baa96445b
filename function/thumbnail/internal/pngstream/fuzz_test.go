package pngstream

import (
	"bytes"
	"image/png"
	"os"
	"testing"
)

// FuzzDecode feeds mutated PNGs to the streaming decoder. Nothing may panic;
// a file gets image/png's verdict (whatever image/png decodes, Decode
// decodes too, and the streaming path accepts nothing image/png refuses);
// and when both read a file, the result is exactly the box average of
// image/png's image.
func FuzzDecode(f *testing.F) {
	for _, path := range stdlibPNGs(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 64<<10 {
			f.Add(data, uint8(2))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<20 {
			return // the pipeline checks limits from the header before decoding
		}
		factor := int(k%16) + 1
		_, stdErr := png.Decode(bytes.NewReader(data))
		if _, err := Decode(data, factor); stdErr == nil && err != nil {
			t.Fatalf("image/png decodes it, Decode with k=%d fails: %v", factor, err)
		}
		got, err := decodeShrunk(data, factor)
		if err == nil && stdErr != nil {
			t.Fatalf("k=%d: the streaming decoder accepts a file image/png refuses: %v", factor, stdErr)
		}
		if err != nil || stdErr != nil {
			return
		}
		if d := maxDiff(got, reference(t, data, factor)); d > 0 {
			t.Fatalf("k=%d: differs from the box average of image/png's decode by up to %d levels", factor, d)
		}
	})
}
