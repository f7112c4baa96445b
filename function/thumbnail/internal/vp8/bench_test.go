package vp8

import (
	"image"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// benchFrames keeps the benchmark inputs across runs of -count.
var benchFrames = map[string][]byte{}

// BenchmarkDecode decodes the same frames with golang.org/x/image/vp8
// ("x-image") and this fork ("fork"), side by side: noise written by cwebp
// at -q 100, the costliest data per byte and per pixel (4 MP, 4.4 MB); a
// 12 MP photo-like image at cwebp's default quality; and a 64 MP image of
// one colour (16000x4000, the pixel limit), where the cost is per pixel,
// not per byte; a 64 MP frame crafted for the most work per byte
// (zeroTokenFrame: 425 arithmetic-decoded bits a macroblock in about three
// bytes); and a 9 MP frame crafted for the most work per macroblock
// (largeTokenFrame: about 7,600 bits a macroblock in 335 bytes, 11.5 MB,
// under x/image's 16 MiB). MB/s is of the VP8 frame's bytes. Compare medians:
// go test -run '^$' -bench Decode -count 7 | benchstat.
func BenchmarkDecode(b *testing.B) {
	inputs := []struct {
		name string
		img  func() image.Image
		args []string
	}{
		{"noise-4MP-q100", func() image.Image { return noise(2000, 2000) }, []string{"-q", "100"}},
		{"photo-12MP", func() image.Image { return testimage.Photo(4000, 3000) }, nil},
		{"flat-64MP", func() image.Image { return image.NewGray(image.Rect(0, 0, 16000, 4000)) }, nil},
		{"zero-tokens-64MP", nil, nil},
		{"large-tokens-9MP", nil, nil},
	}
	for _, in := range inputs {
		frame := func(b *testing.B) []byte {
			p := benchFrames[in.name]
			switch {
			case p != nil:
			case in.name == "zero-tokens-64MP":
				p = zeroTokenFrame(16000, 4000)
			case in.name == "large-tokens-9MP":
				p = largeTokenFrame(3000, 3000)
			default:
				p = payload(b, cwebp(b, in.img(), in.args...))
			}
			benchFrames[in.name] = p
			return p
		}
		b.Run(in.name+"/x-image", func(b *testing.B) {
			p := frame(b)
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				if _, err := decodeX(p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(in.name+"/fork", func(b *testing.B) {
			p := frame(b)
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				if _, err := decodeFork(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
