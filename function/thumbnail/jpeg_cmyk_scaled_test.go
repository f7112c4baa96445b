package thumbnail

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/colortest"
)

// TestCMYKProfileOnTheDCImage makes a thumbnail of a 2048x2048 CMYK JPEG
// with an embedded press profile (written by LittleCMS's jpgicc): the
// default box reads it at 1/8 from its DC coefficients, as an *image.CMYK,
// and the profile must still convert it. Each patch is compared with
// LittleCMS's sRGB rendering of the source's own values, as image/jpeg
// decodes them at full size.
func TestCMYKProfileOnTheDCImage(t *testing.T) {
	const scale = 4 // patches of 256 pixels: 2048 wide, read at 1/8
	chart := rgbChart()
	b := chart.Bounds()
	big := image.NewNRGBA(image.Rect(0, 0, b.Dx()*scale, b.Dy()*scale))
	for y := range big.Rect.Dy() {
		for x := range big.Rect.Dx() {
			big.Set(x, y, chart.At(x/scale, y/scale))
		}
	}
	var rgb bytes.Buffer
	if err := jpeg.Encode(&rgb, big, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	cmykProfile := systemICCDir + "/ghostscript/default_cmyk.icc"
	data := jpgicc(t, t.TempDir(), rgb.Bytes(), "-q100", "-e", "-o"+cmykProfile)

	h, err := jpegCodec.readHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := jpegCodec.decode(data, &h, DefaultWidth, DefaultHeight, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decoded.(*image.CMYK); !ok || decoded.Bounds().Dx() != big.Rect.Dx()/8 {
		t.Fatalf("decoded %T %v, want the 1/8 DC-only *image.CMYK", decoded, decoded.Bounds())
	}

	r, err := MakeBytes(data, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if r.SourceProfile != "Artifex CMYK SWOP Profile" || r.ColourFallback != "" {
		t.Errorf("SourceProfile %q, ColourFallback %q; want the CMYK profile used", r.SourceProfile, r.ColourFallback)
	}
	full := decodeImage(t, data)
	src := patchValues(full, chartPatch*scale)
	for _, v := range src {
		for i := range v { // transicc takes CMYK in percent
			v[i] *= 100.0 / 255
		}
	}
	ref, err := colortest.Transicc(cmykProfile, src)
	if err != nil {
		t.Fatal(err)
	}
	thumb := image.NewNRGBA(image.Rect(0, 0, r.Width, r.Height))
	draw.Draw(thumb, thumb.Rect, decodeImage(t, r.Data), image.Point{}, draw.Src)
	got := patchValues(thumb, r.Width/chartPatches)
	des := make([]float64, len(got))
	for i, g := range got {
		des[i] = colortest.SRGBDeltaE([3]float64{g[0], g[1], g[2]}, ref[i])
	}
	s := colortest.Summarize(des)
	t.Logf("CIEDE2000 against LittleCMS: mean %.2f, max %.2f", s.Mean, s.Max)
	if s.Mean > 1.5 || s.Max > 3 {
		t.Errorf("CIEDE2000 against LittleCMS: mean %.2f max %.2f, target mean <= 1.5 max <= 3 (as at full size)", s.Mean, s.Max)
	}
}
