package pngstream

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// BenchmarkDecode compares the streamed, shrunk decode with image/png's full
// decode on the PNG benchmark source, shrinking as the pipeline does for a
// 128x128 thumbnail.
func BenchmarkDecode(b *testing.B) {
	for _, src := range testimage.Sources {
		if !src.PNG {
			continue
		}
		data, err := src.Bytes()
		if err != nil {
			b.Fatalf("%s: %v", src.Name, err)
		}
		k := Factor(src.Width, src.Height, (128*src.Width+src.Height-1)/src.Height, 128)
		decoders := []struct {
			name   string
			decode func() (image.Image, error)
		}{
			{"streamed", func() (image.Image, error) { return decodeShrunk(data, k) }},
			{"image-png", func() (image.Image, error) { return png.Decode(bytes.NewReader(data)) }},
		}
		for _, d := range decoders {
			b.Run(src.Name+"/"+d.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := d.decode(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
