package thumbnail

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"
)

// BenchmarkPhoneFormats makes the default thumbnail (128x128 JPEG) of the
// 12 MP HEIC and AVIF (testimage.PhoneSources), the decoders compiled
// beforehand, and reports the decoder's WebAssembly memory, which the Go
// heap figures do not show.
func BenchmarkPhoneFormats(b *testing.B) {
	wasmcodec.PrecompileDecoders()
	for _, src := range testimage.PhoneSources {
		data, err := src.Bytes()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(src.Name, func(b *testing.B) {
			wasmcodec.ResetLargestMemory()
			b.ReportAllocs()
			for range b.N {
				if _, err := Make(bytes.NewReader(data), Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(wasmcodec.LargestMemory())/1e6, "decoder-MB")
			b.ReportMetric(float64(len(data)), "source-bytes")
		})
	}
}

// BenchmarkThumbnailOutput encodes the 128x128 thumbnail of a 1536x1536
// photo in each output format and reports its size and its PSNR against
// the exact area average (12x12 blocks), decoded by the format's reference
// decoder (image/jpeg, libwebp's dwebp, libavif).
func BenchmarkThumbnailOutput(b *testing.B) {
	photo := testimage.Photo(1536, 1536)
	want := areaAverage(photo, 12)
	r, err := Make(bytes.NewReader(encodePNGBytes(b, photo)), Options{Format: PNG})
	if err != nil {
		b.Fatal(err)
	}
	src, err := decodePNGNRGBA(r.Data)
	if err != nil {
		b.Fatal(err)
	}
	wasmcodec.PrecompileEncoders(true, true)
	decoders := map[Format]func(testing.TB, []byte) image.Image{
		JPEG: func(t testing.TB, d []byte) image.Image {
			img, err := jpeg.Decode(bytes.NewReader(d))
			if err != nil {
				t.Fatal(err)
			}
			return img
		},
		WebP: dwebp,
		AVIF: func(t testing.TB, d []byte) image.Image {
			img, err := decodeAVIFCopy(d)
			if err != nil {
				t.Fatal(err)
			}
			return img
		},
	}
	for _, f := range []Format{JPEG, WebP, AVIF} {
		b.Run(string(f), func(b *testing.B) {
			var out bytes.Buffer
			for range b.N {
				out.Reset()
				if err := codecOf(f).encode(&out, src, DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len()), "bytes")
			b.ReportMetric(psnrRGB(b, decoders[f](b, out.Bytes()), want), "PSNR-dB")
		})
	}
}

// BenchmarkCodecCompile is the first-use cost of each WebAssembly module:
// decompressing and compiling it in a new runtime, with wazero's compiler
// (what the function uses) and its interpreter.
func BenchmarkCodecCompile(b *testing.B) {
	for _, name := range []string{"libwebp", "libavif encoder", "libavif decoder", "libheif"} {
		for _, engine := range []struct {
			name string
			e    wasmcodec.Engine
		}{{"compiler", wasmcodec.Compiler}, {"interpreter", wasmcodec.Interpreter}} {
			b.Run(name+"/"+engine.name, func(b *testing.B) {
				for range b.N {
					if _, err := wasmcodec.CompileFresh(name, engine.e); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// decodePNGNRGBA decodes a PNG thumbnail into NRGBA, as the encoders take it.
func decodePNGNRGBA(data []byte) (*image.NRGBA, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out := image.NewNRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out, nil
}
