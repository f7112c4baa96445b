package scaledjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"strings"
	"testing"
)

// FuzzDecode feeds mutated JPEGs to every scale. Nothing may panic or take
// more than maxCPUPerDecode; a file
// gets one verdict at every scale; whatever image/jpeg decodes, Decode
// decodes too, unless it breaks one of the rules the DC-only decoder holds
// stricter than image/jpeg (see strictRule); and the DC-only path, when it
// accepts a file, returns exactly 1/8 of the size the header declares.
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
		h := ReadHeader(data)
		var first error
		for i, denom := range []int{8, 4, 2, 1} {
			var img image.Image
			cpu := cpuTime(t, func() { img, err = Decode(data, h, denom) })
			if cpu > maxCPUPerDecode {
				t.Fatalf("decode at 1/%d took %v of CPU, bound %v", denom, cpu, maxCPUPerDecode)
			}
			if i == 0 {
				first = err
			} else if (err == nil) != (first == nil) {
				t.Fatalf("verdict at 1/8: %v; at 1/%d: %v", first, denom, err)
			}
			if stdErr == nil && err != nil && !strictRule(err) {
				t.Fatalf("image/jpeg decodes it, Decode at 1/%d fails: %v", denom, err)
			}
			if err != nil {
				continue
			}
			w, h := ScaledSize(cfg.Width, cfg.Height, denom)
			w8, h8 := ScaledSize(cfg.Width, cfg.Height, 8)
			b := img.Bounds()
			if (b.Dx() != w || b.Dy() != h) && (b.Dx() != cfg.Width || b.Dy() != cfg.Height) && (b.Dx() != w8 || b.Dy() != h8) {
				t.Fatalf("1/%d decode of a %dx%d JPEG is %v", denom, cfg.Width, cfg.Height, b.Size())
			}
		}
	})
}

// strictRule reports whether err is one of the refusals the DC-only decoder
// makes where image/jpeg reads on: scan data that ends early (image/jpeg
// refuses it at a marker but reads zeros at some) or with data unread, a
// component in a second sequential scan, a DC difference or an AC
// coefficient no 8-bit file can code, an AC coefficient larger than 8-bit
// samples make with its quantiser (image/jpeg clips it), a run of AC
// coefficients past the end of a block.
func strictRule(err error) bool {
	msg := err.Error()
	for _, s := range []string{"scan data ends", "second sequential scan", "DC difference of",
		"bytes of scan data after its last block", "AC coefficient of", "larger than 8-bit samples make",
		"AC coefficients run past"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
