package wasmcodec

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/draw"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	"golang.org/x/image/webp"
)

// crop is the source of testdata/heif/<name>: a crop of
// testimage.Photo(512, 384) at (x, y), encoded by heif-enc.
func crop(x, y, w, h int) *image.NRGBA {
	src := testimage.Photo(512, 384)
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), src, image.Pt(x, y), draw.Src)
	return out
}

// thumbnail is a w x h photo thumbnail: testimage.Photo at f times the
// size, each pixel the average of its f x f block, as the pipeline's output
// looks (a 12 MP photo's 128x128 thumbnail averages blocks of 23x23).
func thumbnail(w, h, f int) *image.NRGBA {
	src := testimage.Photo(f*w, f*h)
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	n := f * f
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum [3]int
			for dy := 0; dy < f; dy++ {
				p := src.Pix[src.PixOffset(f*x, f*y+dy):]
				for dx := 0; dx < f; dx++ {
					sum[0] += int(p[4*dx])
					sum[1] += int(p[4*dx+1])
					sum[2] += int(p[4*dx+2])
				}
			}
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8((sum[0]+n/2)/n), uint8((sum[1]+n/2)/n), uint8((sum[2]+n/2)/n), 255
		}
	}
	return out
}

// psnr compares the RGB of two images of the same size, in dB.
func psnr(t *testing.T, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes %v and %v differ", a.Bounds(), b.Bounds())
	}
	var sum float64
	n := 0
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range []float64{float64(r1>>8) - float64(r2>>8), float64(g1>>8) - float64(g2>>8), float64(b1>>8) - float64(b2>>8)} {
				sum += d * d
				n++
			}
		}
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(n)))
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/heif/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeMatchesTheSource(t *testing.T) {
	tests := []struct {
		file       string
		x, y, w, h int
	}{
		{"tile64.heic", 200, 150, 64, 64},
		{"tile64.avif", 200, 150, 64, 64},
		{"crop50x30.heic", 10, 20, 50, 30},
		{"crop50x30.avif", 10, 20, 50, 30},
		{"crop131x67.heic", 10, 20, 131, 67},
		{"crop131x67.avif", 10, 20, 131, 67},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got *image.NRGBA
			keep := func(img image.Image) error {
				got = image.NewNRGBA(img.Bounds())
				draw.Draw(got, got.Bounds(), img, img.Bounds().Min, draw.Src)
				return nil
			}
			var peak PeakMemory
			var err error
			if strings.HasSuffix(tt.file, ".heic") {
				peak, err = DecodeHEIF(context.Background(), read(t, tt.file), 64<<20, keep)
			} else {
				peak, err = DecodeAVIF(context.Background(), read(t, tt.file), 64<<20, func(img *image.RGBA) error { return keep(img) })
			}
			if err != nil {
				t.Fatal(err)
			}
			if p := psnr(t, got, crop(tt.x, tt.y, tt.w, tt.h)); p < 30 {
				t.Errorf("PSNR %.1f dB against the source, want >= 30", p)
			}
			t.Logf("peak memory %d KiB", peak>>10)
		})
	}
}

func TestDecodeOverTheLimitIsRefused(t *testing.T) {
	ctx := context.Background()
	use := func(image.Image) error { t.Error("decoded within a limit too small"); return nil }
	for _, tt := range []struct {
		name   string
		decode func() (PeakMemory, error)
	}{
		{"heic", func() (PeakMemory, error) { return DecodeHEIF(ctx, read(t, "photo-thumb-icc.heic"), 1<<20, use) }},
		{"avif", func() (PeakMemory, error) {
			return DecodeAVIF(ctx, read(t, "photo-thumb-icc.avif"), 1<<20, func(img *image.RGBA) error { return use(img) })
		}},
	} {
		peak, err := tt.decode()
		if !errors.Is(err, ErrMemoryLimit) {
			t.Errorf("%s: error %v, want ErrMemoryLimit", tt.name, err)
		}
		if peak > 1<<20 {
			t.Errorf("%s: memory grew to %d bytes past the limit", tt.name, peak)
		}
	}
}

func TestDecodeGarbage(t *testing.T) {
	data := read(t, "tile64.heic")
	broken := append([]byte(nil), data...)
	for i := len(broken) - 600; i < len(broken); i++ {
		broken[i] ^= 0x5A
	}
	_, err := DecodeHEIF(context.Background(), broken[:len(broken)-100], 64<<20, func(image.Image) error { return nil })
	if err == nil {
		t.Error("a damaged HEIC decoded without error")
	}
}

// dwebp decodes WebP with libwebp's own decoder, the reference:
// golang.org/x/image/webp reads lossy WebP's limited-range colours as
// full-range, which alone costs about 3 dB.
func dwebp(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := testimage.Dwebp(data)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestEncodeWebP(t *testing.T) {
	src := thumbnail(128, 128, 23)
	lossy, err := EncodeWebP(context.Background(), src, 75, 4, false)
	if err != nil {
		t.Fatal(err)
	}
	p := psnr(t, dwebp(t, lossy), src)
	if p < 30 || len(lossy) > 6000 {
		t.Errorf("lossy WebP: %d bytes at PSNR %.1f dB, want under 6000 bytes at >= 30 dB", len(lossy), p)
	}
	t.Logf("lossy WebP 128x128 q75: %d bytes, PSNR %.1f dB", len(lossy), p)
	lossless, err := EncodeWebP(context.Background(), src, 75, 4, true)
	if err != nil {
		t.Fatal(err)
	}
	img, err := webp.Decode(bytes.NewReader(lossless))
	if err != nil {
		t.Fatal(err)
	}
	if p := psnr(t, img, src); !math.IsInf(p, 1) {
		t.Errorf("lossless WebP differs from its source: PSNR %.1f dB", p)
	}
	if p := psnr(t, dwebp(t, lossless), src); !math.IsInf(p, 1) {
		t.Errorf("lossless WebP differs from its source in dwebp: PSNR %.1f dB", p)
	}
}

func TestEncodeAVIF(t *testing.T) {
	src := thumbnail(128, 128, 23)
	out, err := EncodeAVIF(context.Background(), src, 60, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	var got image.Image
	_, err = DecodeAVIF(context.Background(), out, 64<<20, func(img *image.RGBA) error {
		c := image.NewNRGBA(img.Bounds())
		draw.Draw(c, c.Bounds(), img, image.Point{}, draw.Src)
		got = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p := psnr(t, got, src)
	if p < 30 {
		t.Errorf("AVIF: %d bytes at PSNR %.1f dB, want >= 30 dB", len(out), p)
	}
	t.Logf("AVIF 128x128 q60 speed 10: %d bytes, PSNR %.1f dB", len(out), p)
}
