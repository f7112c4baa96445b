package icc

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/colortest"
)

// systemICC is where Debian's icc-profiles-free and ghostscript put profiles.
const systemICC = "/usr/share/color/icc"

// referenceProfile is a profile measured against LittleCMS.
type referenceProfile struct {
	path      string
	name      string  // what Name should say
	mean, max float64 // CIEDE2000 targets
}

// Targets: matrix/TRC and grey profiles mean 1.0, max 2.0; press profiles
// mean 1.5, max 3.0.
var referenceProfiles = []referenceProfile{
	{systemICC + "/sRGB.icc", "sRGB", 1, 2},
	{"testdata/DisplayP3.icc", "Display P3", 1, 2},
	{systemICC + "/compatibleWithAdobeRGB1998.icc", "Adobe RGB (1998)", 1, 2},
	{systemICC + "/ghostscript/a98.icc", "Adobe RGB (1998)", 1, 2},
	{systemICC + "/ghostscript/rommrgb.icc", "ProPhoto RGB", 1, 2},
	{systemICC + "/ghostscript/ps_rgb.icc", "Adobe RGB (1998)", 1, 2},
	{systemICC + "/LStar-RGB.icc", "", 1, 2},
	{systemICC + "/Gray-CIE_L.icc", "", 1, 2},
	{systemICC + "/ghostscript/sgray.icc", "", 1, 2},
	{systemICC + "/ghostscript/ps_gray.icc", "", 1, 2},
	{systemICC + "/ghostscript/default_cmyk.icc", "", 1.5, 3},
	{systemICC + "/ghostscript/ps_cmyk.icc", "", 1.5, 3},
}

// chart returns the device colours of a flat-patch chart for n channels, in
// 8-bit device values.
func chart(n int) [][]uint8 {
	var levels []uint8
	var out [][]uint8
	switch n {
	case 1:
		for v := 0; v <= 255; v += 5 {
			out = append(out, []uint8{uint8(v)})
		}
		return out
	case 3:
		levels = []uint8{0, 32, 64, 96, 128, 160, 192, 224, 255}
	case 4:
		levels = []uint8{0, 51, 102, 153, 204, 255}
	}
	idx := make([]int, n)
	for {
		c := make([]uint8, n)
		for i := range c {
			c[i] = levels[idx[i]]
		}
		out = append(out, c)
		i := n - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < len(levels) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return out
		}
	}
}

// imageOf lays the colours out as a one-row image of the matching type.
func imageOf(cs [][]uint8) image.Image {
	r := image.Rect(0, 0, len(cs), 1)
	switch len(cs[0]) {
	case 1:
		g := image.NewGray(r)
		for i, c := range cs {
			g.Pix[i] = c[0]
		}
		return g
	case 4:
		m := image.NewCMYK(r)
		for i, c := range cs {
			copy(m.Pix[4*i:], c)
		}
		return m
	}
	m := image.NewNRGBA(r)
	for i, c := range cs {
		copy(m.Pix[4*i:], c)
		m.Pix[4*i+3] = 0xff
	}
	return m
}

// rgbAt returns pixel i of a converted image as sRGB.
func rgbAt(img image.Image, i int) [3]float64 {
	switch m := img.(type) {
	case *image.Gray:
		v := float64(m.Pix[i])
		return [3]float64{v, v, v}
	case *image.NRGBA:
		return [3]float64{float64(m.Pix[4*i]), float64(m.Pix[4*i+1]), float64(m.Pix[4*i+2])}
	}
	panic(fmt.Sprintf("unexpected %T", img))
}

// measure converts the chart with the profile's transform and with
// transicc and returns the CIEDE2000 statistics.
func measure(t *testing.T, path string) (colortest.Stats, *Profile) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (Debian: icc-profiles-free and ghostscript install it)", path, err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	tr, err := NewTransform(p)
	if err != nil {
		t.Fatalf("NewTransform(%s): %v", path, err)
	}
	return compareWithTransicc(t, path, tr, p.Space.Channels()), p
}

// compareWithTransicc converts the chart for n channels with tr and with
// transicc from the profile at path, and returns the CIEDE2000 statistics.
func compareWithTransicc(t *testing.T, path string, tr *Transform, n int) colortest.Stats {
	t.Helper()
	cs := chart(n)
	in := make([][]float64, len(cs))
	for i, c := range cs {
		in[i] = make([]float64, len(c))
		for k, v := range c {
			in[i][k] = float64(v)
			if len(c) == 4 {
				in[i][k] = float64(v) * 100 / 255
			}
		}
	}
	ref, err := colortest.Transicc(path, in)
	if err != nil {
		t.Fatal(err)
	}
	img, err := tr.Convert(imageOf(cs))
	if err != nil {
		t.Fatal(err)
	}
	des := make([]float64, len(cs))
	for i := range cs {
		des[i] = colortest.SRGBDeltaE(rgbAt(img, i), ref[i])
	}
	return colortest.Summarize(des)
}

// TestAgainstLittleCMS converts a chart of flat patches from each profile
// and compares with LittleCMS's transicc (perceptual intent, built-in sRGB).
func TestAgainstLittleCMS(t *testing.T) {
	var table strings.Builder
	for _, rp := range referenceProfiles {
		t.Run(filepath.Base(rp.path), func(t *testing.T) {
			s, p := measure(t, rp.path)
			fmt.Fprintf(&table, "| %s | %s | %.2f | %.2f |\n", filepath.Base(rp.path), p.Name(), s.Mean, s.Max)
			if s.Mean > rp.mean || s.Max > rp.max {
				t.Errorf("CIEDE2000 against LittleCMS: mean %.2f max %.2f, target mean <= %.1f max <= %.1f", s.Mean, s.Max, rp.mean, rp.max)
			}
			if rp.name != "" && p.Name() != rp.name {
				t.Errorf("Name() = %q, want %q", p.Name(), rp.name)
			}
		})
	}
	t.Logf("profile | name | mean | max\n%s", table.String())
}
