package thumbnail

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	"golang.org/x/image/webp"
)

// TestLossyWebPColoursAsLibwebp decodes a lossy WebP made by libwebp's
// cwebp (pure red (255,1,0), a hue gradient, texture) and compares every
// pixel with libwebp's own decode of it (`dwebp -nofancy`, nearest chroma
// upsampling as image.YCbCr does), kept beside it in testdata/. Read as
// full-range YCbCr, as golang.org/x/image/webp returns it, the red came out
// (239,15,14), 16 levels off.
func TestLossyWebPColoursAsLibwebp(t *testing.T) {
	data, err := os.ReadFile("testdata/lossy-red-gradient.webp")
	if err != nil {
		t.Fatal(err)
	}
	ppm, err := testimage.ReadNetpbm("testdata/lossy-red-gradient.dwebp.ppm")
	if err != nil {
		t.Fatal(err)
	}
	want := ppm.(*image.RGBA)
	h, err := webpCodec.readHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := webpCodec.decode(data, &h, 0, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := webp.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name         string
		img          image.Image
		maxMean      float64
		maxDiff      int
		wantToDiffer bool
	}{
		{"ours", img, 1.0, 3, false},
		{"golang.org/x/image/webp alone", raw, 1.0, 3, true},
	} {
		var sum float64
		worst := 0
		b := want.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				got := color.RGBAModel.Convert(tt.img.At(x, y)).(color.RGBA)
				ref := want.RGBAAt(x, y)
				for _, d := range []int{int(got.R) - int(ref.R), int(got.G) - int(ref.G), int(got.B) - int(ref.B)} {
					d = max(d, -d)
					sum += float64(d)
					worst = max(worst, d)
				}
			}
		}
		mean := sum / float64(3*b.Dx()*b.Dy())
		fails := mean > tt.maxMean || worst > tt.maxDiff
		t.Logf("%s: mean difference from libwebp %.2f, largest %d", tt.name, mean, worst)
		if fails != tt.wantToDiffer {
			t.Errorf("%s: mean difference from libwebp %.2f (want <= %.1f), largest %d (want <= %d)",
				tt.name, mean, tt.maxMean, worst, tt.maxDiff)
		}
	}
	red := color.RGBAModel.Convert(img.At(8, 8)).(color.RGBA)
	if red.R < 250 || red.G > 6 || red.B > 6 {
		t.Errorf("pure red decodes to %v", red)
	}
}
