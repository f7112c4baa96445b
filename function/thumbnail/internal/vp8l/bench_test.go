package vp8l

import (
	"bytes"
	"testing"

	xvp8l "golang.org/x/image/vp8l"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// BenchmarkDecode decodes the same streams with golang.org/x/image/vp8l
// ("x-image") and this fork ("fork"), side by side: a 16 MP image of one
// colour (the 34-byte hostile file), a 16 MP photo-like image written by
// cwebp at its fastest effort (-z 0, so that the input takes seconds to
// make, not half a minute), and a 1 MP one at its default effort. Compare
// medians: go test -bench Decode -count 7 | benchstat.
func BenchmarkDecode(b *testing.B) {
	inputs := []struct {
		name    string
		payload func(testing.TB) []byte
	}{
		{"one-colour-16MP", func(testing.TB) []byte { return constantStream(4000, 4000, 0x20, 0x40, 0x80, 0xff) }},
		{"photo-16MP-z0", func(t testing.TB) []byte { return payload(t, cwebp(t, testimage.Photo(4000, 4000), "-z", "0")) }},
		{"photo-1MP", func(t testing.TB) []byte { return payload(t, cwebp(t, testimage.Photo(1000, 1000))) }},
	}
	for _, in := range inputs {
		var p []byte
		b.Run(in.name+"/x-image", func(b *testing.B) {
			if p == nil {
				p = in.payload(b)
			}
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				if _, err := xvp8l.Decode(bytes.NewReader(p)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(in.name+"/fork", func(b *testing.B) {
			if p == nil {
				p = in.payload(b)
			}
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				if _, err := Decode(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
