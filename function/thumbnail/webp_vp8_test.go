package thumbnail

import (
	"encoding/binary"
	"image"
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// cwebpLossy encodes img as lossy WebP with libwebp's cwebp and the given options.
func cwebpLossy(t *testing.T, img image.Image, args ...string) []byte {
	t.Helper()
	data, err := testimage.Cwebp(img, args...)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// translucentPhoto is a photo-like image with an alpha gradient and holes.
func translucentPhoto(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	src := testimage.Photo(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			copy(img.Pix[i:i+3], src.Pix[src.PixOffset(x, y):])
			img.Pix[i+3] = uint8(255 * x / w)
			if (x/5+y/3)%4 == 0 {
				img.Pix[i+3] = 0
			}
		}
	}
	return img
}

// TestLossyWebPMatchesXImage decodes lossy WebP files, with and without
// alpha, through the image core's path (internal/vp8, internal/vp8l for the
// ALPH plane) and requires golang.org/x/image/webp's planes byte for byte.
func TestLossyWebPMatchesXImage(t *testing.T) {
	alpha := translucentPhoto(75, 41)
	tests := []struct {
		name string
		file func(t *testing.T) []byte
	}{
		{"committed lossy sample", committed("testdata/video-001.lossy.webp")},
		{"committed red gradient", committed("testdata/lossy-red-gradient.webp")},
		{"committed lossy with alpha", committed("testdata/yellow_rose.lossy-with-alpha.webp")},
		{"alpha, lossless-coded, no filter", cwebpFile(alpha, "-alpha_filter", "none")},
		{"alpha, fast filter", cwebpFile(alpha, "-alpha_filter", "fast")},
		{"alpha, best filter", cwebpFile(alpha, "-alpha_filter", "best")},
		{"alpha, uncompressed", cwebpFile(alpha, "-alpha_method", "0")},
		{"alpha, quantised", cwebpFile(alpha, "-alpha_q", "20")},
		{"alpha, exact", cwebpFile(alpha, "-exact", "-q", "95")},
		{"opaque, with metadata", cwebpFile(testimage.Photo(50, 70), "-metadata", "all")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { sameVerdict(t, tt.file(t)) })
	}
}

// TestLossyWebPCutsAndMutants cuts a lossy WebP with alpha at every length
// and flips each byte of its container and ALPH header, and requires
// golang.org/x/image/webp's verdict, message and planes for each.
func TestLossyWebPCutsAndMutants(t *testing.T) {
	file := cwebpLossy(t, translucentPhoto(20, 12), "-alpha_filter", "best")
	for n := range len(file) {
		sameVerdict(t, file[:n])
	}
	// The RIFF header, the VP8X chunk, the ALPH chunk's header and first
	// bytes, and the VP8 chunk's header and frame header.
	alph := 30
	if string(file[alph:alph+4]) != "ALPH" {
		t.Fatalf("no ALPH chunk at %d", alph)
	}
	vp8 := alph + 8 + int(binary.LittleEndian.Uint32(file[alph+4:]))
	vp8 += vp8 & 1
	for _, i := range append(seq(0, alph+12), seq(vp8, vp8+18)...) {
		for _, v := range []byte{0x00, 0x01, 0x02, 0x03, 0x0c, 0x7f, 0x80, 0xff, file[i] ^ 0x01} {
			m := append([]byte{}, file...)
			m[i] = v
			sameVerdict(t, m)
		}
	}
}

// seq returns the integers from a up to b, b excluded.
func seq(a, b int) []int {
	s := make([]int, 0, b-a)
	for i := a; i < b; i++ {
		s = append(s, i)
	}
	return s
}

// committed reads a committed sample.
func committed(name string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
}

// cwebpFile encodes img with cwebp when the test runs.
func cwebpFile(img image.Image, args ...string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte { return cwebpLossy(t, img, args...) }
}
