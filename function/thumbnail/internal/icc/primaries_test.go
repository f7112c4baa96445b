package icc

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestPrimariesMatchPublishedColorants checks the primaries-to-colorants
// computation (Bradford to D50) against colorants published in profiles
// made elsewhere: Apple's Display P3 and the sRGB profile of icc-profiles-free.
func TestPrimariesMatchPublishedColorants(t *testing.T) {
	p3 := knownSpaces[1].colorants
	for c := range 3 {
		for k := range 3 {
			if d := math.Abs(p3[3*k+c] - p3Colorants[c][k]); d > 5e-4 { // Apple rounds D65 and D50 slightly differently
				t.Errorf("Display P3 colorant %d component %d: computed %.6f, published %.6f", c, k, p3[3*k+c], p3Colorants[c][k])
			}
		}
	}
	data, err := os.ReadFile(systemICC + "/sRGB.icc")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := p.matrixShaper()
	if err != nil {
		t.Fatal(err)
	}
	if !closeMatrix(m, srgbToXYZ, 1e-3) {
		t.Errorf("sRGB colorants: computed %v, sRGB.icc has %v", srgbToXYZ, m)
	}
}

// TestFromPrimariesAgainstLittleCMS builds a transform from chromaticities
// and a gamma, as a PNG's cHRM and gAMA give them, and compares it with
// LittleCMS converting from a profile of the same colorants and gamma.
func TestFromPrimariesAgainstLittleCMS(t *testing.T) {
	cases := []struct {
		name                    string
		white, red, green, blue [2]float64
		gamma                   float64
		wantName                string
	}{
		{"Adobe RGB primaries, gamma 2.2", whiteD65, [2]float64{0.64, 0.33}, [2]float64{0.21, 0.71}, [2]float64{0.15, 0.06}, 2.2, "Adobe RGB (1998)"},
		{"P3 primaries, gamma 1.8", whiteD65, [2]float64{0.68, 0.32}, [2]float64{0.265, 0.69}, [2]float64{0.15, 0.06}, 1.8, "Display P3"},
		{"odd primaries, D50 white, gamma 2.6", [2]float64{0.3457, 0.3585}, [2]float64{0.66, 0.32}, [2]float64{0.25, 0.65}, [2]float64{0.14, 0.08}, 2.6, ""},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := FromPrimaries(c.white, c.red, c.green, c.blue, c.gamma)
			if err != nil {
				t.Fatal(err)
			}
			if l.Name != c.wantName {
				t.Errorf("Name = %q, want %q", l.Name, c.wantName)
			}
			m := rgbToXYZD50(c.red, c.green, c.blue, c.white)
			g := append([]byte("curv\x00\x00\x00\x00\x00\x00\x00\x01"), byte(int(math.Round(c.gamma*256))>>8), byte(int(math.Round(c.gamma*256))), 0, 0)
			prof := writeProfileAs(2, "mntr", "RGB ", "XYZ ", []profileTag{
				{"desc", mlucBytes("test")},
				{"wtpt", xyzBytes(d50[0], d50[1], d50[2])},
				{"rXYZ", xyzBytes(m[0], m[3], m[6])},
				{"gXYZ", xyzBytes(m[1], m[4], m[7])},
				{"bXYZ", xyzBytes(m[2], m[5], m[8])},
				{"rTRC", g}, {"gTRC", g}, {"bTRC", g},
			})
			path := filepath.Join(dir, "p.icc")
			if err := os.WriteFile(path, prof, 0o644); err != nil {
				t.Fatal(err)
			}
			s := compareWithTransicc(t, path, l.Transform, 3)
			if s.Mean > 1 || s.Max > 2 {
				t.Errorf("CIEDE2000 against LittleCMS: mean %.2f max %.2f, target mean <= 1.0 max <= 2.0", s.Mean, s.Max)
			}
		})
	}
}

func TestFromPrimariesRejectsNonsense(t *testing.T) {
	if _, err := FromPrimaries(whiteD65, [2]float64{0.64, 0.33}, [2]float64{0.64, 0.33}, [2]float64{0.15, 0.06}, 2.2); err == nil {
		t.Error("two equal primaries: no error")
	}
	if _, err := FromPrimaries(whiteD65, [2]float64{0.64, 0.33}, [2]float64{0.3, 0.6}, [2]float64{0.15, 0.06}, 0); err == nil {
		t.Error("gamma 0: no error")
	}
	if _, err := FromPrimaries([2]float64{0, 0}, [2]float64{0.64, 0.33}, [2]float64{0.3, 0.6}, [2]float64{0.15, 0.06}, 2.2); err == nil {
		t.Error("white at 0, 0: no error")
	}
}
