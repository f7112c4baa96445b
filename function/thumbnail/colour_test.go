package thumbnail

import (
	"errors"
	"image"
	"os"
	"strings"
	"testing"

	"github.com/nfnt/resize"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/colortest"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/icc"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// Profiles used by the colour tests: the generated Display P3 and Debian's.
const (
	p3ICC        = "internal/icc/testdata/DisplayP3.icc"
	systemICCDir = "/usr/share/color/icc"
)

// readICC reads a profile for a test, failing when it is missing.
func readICC(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (Debian: icc-profiles-free and ghostscript install the profiles)", err)
	}
	return b
}

func TestPlanColour(t *testing.T) {
	p3 := readICC(t, p3ICC)
	srgb := readICC(t, systemICCDir+"/sRGB.icc")
	cmyk := readICC(t, systemICCDir+"/ghostscript/default_cmyk.icc")
	adobeChrm := &[8]float64{0.3127, 0.3290, 0.64, 0.33, 0.21, 0.71, 0.15, 0.06}
	cases := []struct {
		name         string
		src          colourSource
		wantName     string
		wantConvert  bool
		wantFallback string
	}{
		{"untagged", colourSource{}, "", false, ""},
		{"Display P3", colourSource{profile: p3}, "Display P3", true, ""},
		{"sRGB profile: nothing to do", colourSource{profile: srgb}, "sRGB", false, ""},
		{"CMYK press profile", colourSource{profile: cmyk}, "Artifex CMYK SWOP Profile", true, ""},
		{"truncated profile", colourSource{profile: p3[:200]}, "", false, "embedded ICC profile not used, assumed sRGB"},
		{"unreadable iCCP", colourSource{profileErr: errors.New("zlib: invalid header")}, "", false, "unreadable, assumed sRGB: zlib"},
		{"profile wins over PNG chunks", colourSource{profile: p3, pngSRGB: true, pngGamma: 1}, "Display P3", true, ""},
		{"PNG sRGB chunk", colourSource{pngSRGB: true, pngGamma: 2.2}, "sRGB", false, ""},
		{"PNG gAMA 1/2.2 alone is sRGB", colourSource{pngGamma: 1 / 0.45455}, "", false, ""},
		{"PNG gAMA 1.0 alone is ignored", colourSource{pngGamma: 1}, "", false, ""},
		{"PNG cHRM Adobe RGB, gAMA 2.2", colourSource{pngGamma: 2.2, pngChrm: adobeChrm}, "Adobe RGB (1998)", true, ""},
		{"PNG cHRM nonsense", colourSource{pngGamma: 2.2, pngChrm: &[8]float64{}}, "", false, "PNG cHRM and gAMA not used"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := planColour(c.src)
			if p.name != c.wantName {
				t.Errorf("name = %q, want %q", p.name, c.wantName)
			}
			if (p.transform != nil) != c.wantConvert {
				t.Errorf("converts = %v, want %v", p.transform != nil, c.wantConvert)
			}
			if c.wantFallback == "" && p.fallback != "" || !strings.Contains(p.fallback, c.wantFallback) {
				t.Errorf("fallback = %q, want %q", p.fallback, c.wantFallback)
			}
		})
	}
}

// TestColourProfileOnTheWrongImage checks a profile whose space does not fit
// the decoded image is dropped, with the reason, and the pixels kept.
func TestColourProfileOnTheWrongImage(t *testing.T) {
	cmyk := readICC(t, systemICCDir+"/ghostscript/default_cmyk.icc")
	p3 := readICC(t, p3ICC)
	rgb := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	p := planColour(colourSource{profile: cmyk})
	if got := p.convertDecoded(rgb, 1); got != rgb || p.transform != nil || !strings.Contains(p.fallback, "4-channel ICC profile") {
		t.Errorf("CMYK profile on RGB: transform %v, fallback %q", p.transform, p.fallback)
	}
	c := image.NewCMYK(image.Rect(0, 0, 4, 4))
	p = planColour(colourSource{profile: p3})
	if got := p.convertDecoded(c, 1); got != c || p.transform != nil || !strings.Contains(p.fallback, "on a CMYK image") {
		t.Errorf("RGB profile on CMYK: transform %v, fallback %q", p.transform, p.fallback)
	}
	p = planColour(colourSource{profile: cmyk})
	if got := p.convertDecoded(c, 1); got == image.Image(c) {
		t.Error("CMYK profile on CMYK: not converted")
	}
}

// TestColourAfterResizeIsCloseToBefore measures what converting the
// thumbnail instead of the decoded image changes, on a photo-like picture:
// flat areas are the same; edges differ a little where the resize
// overshoots. The figures are in the package comment of colour.go.
func TestColourAfterResizeIsCloseToBefore(t *testing.T) {
	for _, path := range []string{p3ICC, systemICCDir + "/ghostscript/rommrgb.icc", systemICCDir + "/Gray-CIE_L.icc"} {
		l, err := icc.Load(readICC(t, path))
		if err != nil {
			t.Fatal(err)
		}
		photo := testimage.Photo(500, 375)
		first := toNRGBA(photo)
		if _, err := l.Transform.Convert(first); err != nil {
			t.Fatal(err)
		}
		before := toNRGBA(resize.Resize(128, 96, first, resize.Lanczos3))
		after := toNRGBA(resize.Resize(128, 96, toNRGBA(photo), resize.Lanczos3))
		if _, err := l.Transform.Convert(after); err != nil {
			t.Fatal(err)
		}
		var des []float64
		for i := 0; i < len(after.Pix); i += 4 {
			des = append(des, colortest.SRGBDeltaE(
				[3]float64{float64(before.Pix[i]), float64(before.Pix[i+1]), float64(before.Pix[i+2])},
				[3]float64{float64(after.Pix[i]), float64(after.Pix[i+1]), float64(after.Pix[i+2])}))
		}
		s := colortest.Summarize(des)
		t.Logf("%s: converting after the resize instead of before: CIEDE2000 mean %.2f, max %.2f", l.Name, s.Mean, s.Max)
		if s.Mean > 1 {
			t.Errorf("%s: after the resize differs from before by mean %.2f, want <= 1", l.Name, s.Mean)
		}
	}
}
