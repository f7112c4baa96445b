package thumbnail

import (
	"image"
	"math"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// areaAverage is the exact downscale of src by a whole factor f: each
// pixel the mean of its f x f block, the reference a thumbnail is judged by.
func areaAverage(src *image.RGBA, f int) *image.NRGBA {
	b := src.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx()/f, b.Dy()/f))
	n := f * f
	for y := 0; y < out.Rect.Dy(); y++ {
		for x := 0; x < out.Rect.Dx(); x++ {
			var s [3]int
			for dy := 0; dy < f; dy++ {
				p := src.Pix[src.PixOffset(x*f, y*f+dy):]
				for dx := 0; dx < f; dx++ {
					s[0] += int(p[4*dx])
					s[1] += int(p[4*dx+1])
					s[2] += int(p[4*dx+2])
				}
			}
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8((s[0]+n/2)/n), uint8((s[1]+n/2)/n), uint8((s[2]+n/2)/n), 255
		}
	}
	return out
}

// psnrRGB compares the colour channels of two images of one size, in dB.
func psnrRGB(t testing.TB, got, want image.Image) float64 {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	var sum float64
	gb, wb := got.Bounds(), want.Bounds()
	for y := 0; y < gb.Dy(); y++ {
		for x := 0; x < gb.Dx(); x++ {
			g, w := rgba8(got.At(gb.Min.X+x, gb.Min.Y+y)), rgba8(want.At(wb.Min.X+x, wb.Min.Y+y))
			for c := 0; c < 3; c++ {
				d := float64(g[c] - w[c])
				sum += d * d
			}
		}
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(3*gb.Dx()*gb.Dy())))
}

// dwebp decodes WebP with libwebp's own decoder, the reference:
// golang.org/x/image/webp reads lossy WebP's limited-range colours as
// full-range, which alone costs about 3 dB.
func dwebp(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, err := testimage.Dwebp(data)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestPhotoThumbnailFormats: the 128x128 thumbnail of a photo, as lossy
// WebP and as AVIF, is small and close to the exact area average.
func TestPhotoThumbnailFormats(t *testing.T) {
	photo := testimage.Photo(1536, 1536)
	src := encodePNGBytes(t, photo)
	want := areaAverage(photo, 12)
	tests := []struct {
		format   Format
		decode   func(testing.TB, []byte) image.Image
		maxBytes int
		minPSNR  float64
	}{
		{WebP, dwebp, 6000, 30},
		{AVIF, func(t testing.TB, b []byte) image.Image {
			img, err := decodeAVIFCopy(b)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}, 6000, 30},
		{JPEG, func(t testing.TB, b []byte) image.Image {
			return decodeResult(t, &Result{Data: b, Format: JPEG, Width: 128, Height: 128})
		}, 12000, 30},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			r := mustMake(t, src, Options{Format: tt.format})
			if r.Format != tt.format || r.ContentType() != tt.format.ContentType() {
				t.Fatalf("made %s (%s)", r.Format, r.ContentType())
			}
			p := psnrRGB(t, tt.decode(t, r.Data), want)
			t.Logf("%s: %d bytes, PSNR %.1f dB against the exact area average", tt.format, len(r.Data), p)
			if len(r.Data) > tt.maxBytes || p < tt.minPSNR {
				t.Errorf("%s: %d bytes at %.1f dB, want at most %d bytes at %.0f dB or more", tt.format, len(r.Data), p, tt.maxBytes, tt.minPSNR)
			}
			if tt.format == WebP && string(r.Data[12:16]) != "VP8 " {
				t.Errorf("WebP thumbnail of a photo is %q, want lossy (VP8)", r.Data[12:16])
			}
		})
	}
}

// TestWebPLosslessCases: a lossless source or a thumbnail of few colours
// gives lossless WebP.
func TestWebPLosslessCases(t *testing.T) {
	drawing := quadrants(400, 300, red, green, blue, white)
	lossless, _, err := webpLossless(drawing)
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string][]byte{
		"lossless WebP source": lossless,
		"four-colour PNG":      encodePNGBytes(t, drawing),
	} {
		r := mustMake(t, src, Options{Format: WebP, Mode: ModeStretch})
		if string(r.Data[12:16]) != "VP8L" {
			t.Errorf("%s: WebP thumbnail is %q, want lossless (VP8L)", name, r.Data[12:16])
		}
	}
}
