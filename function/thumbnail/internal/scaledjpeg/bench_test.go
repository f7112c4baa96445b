package scaledjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"github.com/gen2brain/jpegn"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// BenchmarkDecode compares the 1/8 DC-only decode with jpegn's 1/8 decode
// and image/jpeg's full decode, and Decode at 1/4 with jpegn's 1/4 decode
// alone, on every JPEG benchmark source.
func BenchmarkDecode(b *testing.B) {
	decoders := []struct {
		name   string
		decode func([]byte) (image.Image, error)
	}{
		{"dc-only-1:8", decodeDC},
		{"jpegn-1:8", func(d []byte) (image.Image, error) {
			return jpegn.Decode(bytes.NewReader(d), &jpegn.Options{ScaleDenom: 8})
		}},
		{"image-jpeg-1:1", func(d []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(d)) }},
		// Decode at 1/4 is the DC-only decode (the verdict), jpegn's 1/4
		// decode and the check that the two agree: its cost over jpegn alone.
		{"decode-1:4", func(d []byte) (image.Image, error) { return Decode(d, ReadHeader(d), 4) }},
		{"jpegn-1:4", func(d []byte) (image.Image, error) {
			return jpegn.Decode(bytes.NewReader(d), &jpegn.Options{ScaleDenom: 4})
		}},
	}
	for _, src := range testimage.Sources {
		if src.PNG {
			continue
		}
		data, err := src.Bytes()
		if err != nil {
			b.Fatalf("%s: %v", src.Name, err)
		}
		for _, d := range decoders {
			b.Run(src.Name+"/"+d.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := d.decode(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDecodeColourKinds compares the 1/8 DC-only decode of 24 MP RGB,
// CMYK and YCCK photos (quality 90, a scan a component) with image/jpeg's
// full decode, which read them whole before the DC-only decoder took them.
func BenchmarkDecodeColourKinds(b *testing.B) {
	s444 := [][2]int{{1, 1}, {1, 1}, {1, 1}}
	s1111 := [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	for _, k := range []struct {
		kind     colourKind
		sampling [][2]int
	}{{rgbByIDs, s444}, {cmykAdobe, s1111}, {ycckAdobe, s1111}} {
		data := colourJPEG(b, k.kind, 6000, 4000, k.sampling)
		for _, d := range []struct {
			name   string
			decode func([]byte) (image.Image, error)
		}{
			{"dc-only-1:8", decodeDC},
			{"image-jpeg-1:1", func(d []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(d)) }},
		} {
			b.Run(k.kind.name+"-6000x4000/"+d.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := d.decode(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
