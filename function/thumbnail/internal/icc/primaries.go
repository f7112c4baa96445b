package icc

import "math"

// FromPrimaries builds the transform to sRGB of an RGB space given by its
// chromaticities (x, y of white, red, green, blue) and a pure power
// transfer curve decoding with exponent gamma (PNG's gAMA of 1/2.2 is
// gamma 2.2), as for a PNG with cHRM and gAMA but no profile. The name is
// that of a recognised space with those primaries, else "".
func FromPrimaries(white, red, green, blue [2]float64, gamma float64) (*Loaded, error) {
	for _, c := range [][2]float64{white, red, green, blue} {
		if !(c[0] > 0 && c[0] < 1 && c[1] > 0 && c[1] < 1) || c[0]+c[1] > 1 {
			return nil, malformed("chromaticity %v outside (0, 1)", c)
		}
	}
	if !(gamma >= 0.1 && gamma <= 10) {
		return nil, malformed("gamma %v outside [0.1, 10]", gamma)
	}
	colorants := rgbToXYZD50(red, green, blue, white)
	if _, ok := colorants.inverse(); !ok || math.IsNaN(colorants[0]) {
		return nil, malformed("primaries %v %v %v do not span a colour space", red, green, blue)
	}
	c := curve{kind: 1, fn: 0, g: gamma}
	t := &Transform{channels: 3}
	t.fillMatrix(colorants, [3]curve{c, c, c}, [3]float64{})
	name := ""
	for _, k := range knownSpaces {
		if closeMatrix(colorants, k.colorants, 0.002) {
			name = k.name
			break
		}
	}
	return &Loaded{Transform: t, Name: name}, nil
}
