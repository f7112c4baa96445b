package vp8l

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/webp"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// dwebp decodes a WebP with libwebp's dwebp, the reference, into
// non-premultiplied RGBA; ok is false when it refuses it.
func dwebp(t testing.TB, data []byte) (img *image.NRGBA, ok bool) {
	t.Helper()
	img, err := testimage.Dwebp(data)
	if errors.Is(err, testimage.ErrRefused) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return img, true
}

// payload returns the VP8L chunk's payload of a simple lossless WebP.
func payload(t testing.TB, data []byte) []byte {
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if string(data[i:i+4]) == "VP8L" {
			return data[i+8 : min(len(data), i+8+n)]
		}
		i += 8 + n + n&1
	}
	t.Fatal("no VP8L chunk")
	return nil
}

// samePixels reports where two images differ first, or "" if they do not.
func samePixels(a, b *image.NRGBA) string {
	if a.Rect != b.Rect {
		return fmt.Sprintf("size %v, want %v", a.Rect, b.Rect)
	}
	for y := 0; y < a.Rect.Dy(); y++ {
		ra := a.Pix[y*a.Stride:][:4*a.Rect.Dx()]
		rb := b.Pix[y*b.Stride:][:4*b.Rect.Dx()]
		if !bytes.Equal(ra, rb) {
			for x := 0; x < len(ra); x += 4 {
				if !bytes.Equal(ra[x:x+4], rb[x:x+4]) {
					return fmt.Sprintf("pixel (%d,%d) is %v, want %v", x/4, y, ra[x:x+4], rb[x:x+4])
				}
			}
		}
	}
	return ""
}

// xImage decodes with golang.org/x/image/webp, the decoder this one replaces.
func xImage(data []byte) (*image.NRGBA, error) {
	img, err := webp.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return img.(*image.NRGBA), nil
}

// checkAgainstReferences decodes file (a lossless WebP) and compares the
// pixels with dwebp's, and with x/image's unless the stream uses a corner
// where x/image and libwebp differ.
func checkAgainstReferences(t *testing.T, name string, file []byte, libwebpOnly bool) {
	t.Helper()
	got, err := Decode(payload(t, file))
	want, ok := dwebp(t, file)
	switch {
	case err != nil && ok:
		t.Fatalf("%s: %v; dwebp decodes it", name, err)
	case err == nil && !ok:
		t.Fatalf("%s: decoded; dwebp refuses it", name)
	case err != nil:
		t.Fatalf("%s: %v; dwebp refuses it too: the writer is wrong", name, err)
	}
	if diff := samePixels(got, want); diff != "" {
		t.Fatalf("%s: %s (dwebp)", name, diff)
	}
	if libwebpOnly {
		return
	}
	x, err := xImage(file)
	if err != nil {
		t.Fatalf("%s: golang.org/x/image/webp: %v", name, err)
	}
	if diff := samePixels(got, x); diff != "" {
		t.Fatalf("%s: %s (golang.org/x/image/webp)", name, diff)
	}
}

// TestRandomStreamsMatchDwebp decodes random streams of every feature and
// compares each with libwebp's decode, pixel for pixel.
func TestRandomStreamsMatchDwebp(t *testing.T) {
	const (
		P = transformTypePredictor
		C = transformTypeCrossColor
		G = transformTypeSubtractGreen
		I = transformTypeColorIndexing
	)
	tests := []struct {
		name       string
		transforms []int
		w, h       int // 0: random up to 80
		seeds      int
		noCorners  bool
	}{
		{name: "no transform", seeds: 12},
		{name: "no transform, no libwebp-only corners", seeds: 12, noCorners: true},
		{name: "predictor", transforms: []int{P}, seeds: 10},
		{name: "predictor, modes 0-13 only", transforms: []int{P}, seeds: 6, noCorners: true},
		{name: "cross colour", transforms: []int{C}, seeds: 6, noCorners: true},
		{name: "subtract green", transforms: []int{G}, seeds: 4, noCorners: true},
		{name: "colour indexing", transforms: []int{I}, seeds: 12},
		{name: "cwebp's order", transforms: []int{G, P, C}, seeds: 8, noCorners: true},
		{name: "all four", transforms: []int{G, P, C, I}, seeds: 6},
		{name: "indexing first", transforms: []int{I, P, C, G}, seeds: 6},
		{name: "one column", transforms: []int{P, C}, w: 1, h: 37, seeds: 3},
		{name: "one row", transforms: []int{P, I}, w: 93, h: 1, seeds: 3},
		{name: "wide", transforms: []int{G, P}, w: 700, h: 9, seeds: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := range tt.seeds {
				rng := rand.New(rand.NewPCG(uint64(seed), 15))
				w, h := tt.w, tt.h
				if w == 0 {
					w, h = 1+rng.IntN(80), 1+rng.IntN(80)
				}
				wr := &writer{rng: rng, noCorners: tt.noCorners}
				file := riff(wr.stream(w, h, tt.transforms))
				checkAgainstReferences(t, fmt.Sprintf("seed %d, %dx%d", seed, w, h), file, wr.libwebpOnly)
			}
		})
	}
}

// cwebp encodes img as lossless WebP with libwebp's cwebp and the given options.
func cwebp(t testing.TB, img image.Image, args ...string) []byte {
	t.Helper()
	data, err := testimage.Cwebp(img, append([]string{"-lossless"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// translucent is a photo with an alpha gradient and fully transparent pixels.
func translucent(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, testimage.Photo(w, h), image.Point{}, draw.Src)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255 * x / w)
			if (x/7+y/5)%4 == 0 {
				a = 0
			}
			img.Pix[img.PixOffset(x, y)+3] = a
		}
	}
	return img
}

// paletted is an image of n colours in blocks.
func paletted(w, h, n int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	colours := make([][4]uint8, n)
	for i := range colours {
		colours[i] = [4]uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(128 + rng.IntN(128))}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := colours[(x/3+y/4*7+x*y/50)%n]
			copy(img.Pix[img.PixOffset(x, y):], c[:])
		}
	}
	return img
}

// TestCwebpFilesMatchDwebp decodes what libwebp's encoder writes from
// photos, translucent images and palettes at every effort level.
func TestCwebpFilesMatchDwebp(t *testing.T) {
	photo := testimage.Photo(301, 203)
	tests := []struct {
		name string
		img  image.Image
		args []string
	}{
		{"photo, fastest", photo, []string{"-z", "0"}},
		{"photo, default", photo, nil},
		{"photo, smallest", photo, []string{"-z", "9"}},
		{"photo, near lossless", photo, []string{"-near_lossless", "40"}},
		{"translucent, exact", translucent(190, 77), []string{"-exact"}},
		{"translucent", translucent(190, 77), []string{"-z", "6"}},
		{"2 colours", paletted(133, 61, 2), nil},
		{"3 colours", paletted(133, 61, 3), nil},
		{"16 colours", paletted(133, 61, 16), nil},
		{"200 colours", paletted(133, 61, 200), []string{"-z", "9"}},
		{"one colour", paletted(640, 480, 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAgainstReferences(t, tt.name, cwebp(t, tt.img, tt.args...), false)
		})
	}
}

// TestCutStreamsAreRefused cuts a stream at every length: each cut is
// refused as x/image refuses it, with io.ErrUnexpectedEOF, and nothing
// panics.
func TestCutStreamsAreRefused(t *testing.T) {
	for seed := range 4 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		wr := &writer{rng: rng, noCorners: true}
		p := wr.stream(1+rng.IntN(40), 1+rng.IntN(40), []int{transformTypeSubtractGreen, transformTypePredictor, transformTypeCrossColor})
		if _, err := Decode(p); err != nil {
			t.Fatalf("seed %d: whole stream: %v", seed, err)
		}
		for n := range len(p) {
			_, err := Decode(p[:n])
			if err == nil {
				// The last bytes may hold only padding bits of the stream.
				if _, xerr := xImage(riff(p[:n])); xerr == nil {
					continue
				}
				t.Fatalf("seed %d: cut at %d of %d bytes: decoded, x/image refuses it", seed, n, len(p))
			}
			if err != io.ErrUnexpectedEOF {
				t.Fatalf("seed %d: cut at %d of %d bytes: %v, want %v", seed, n, len(p), err, io.ErrUnexpectedEOF)
			}
		}
	}
}
