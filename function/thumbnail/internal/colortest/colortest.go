// Package colortest holds what the colour tests share: CIEDE2000 colour
// differences and LittleCMS's transicc as the reference converter. It is
// used by tests only.
package colortest

import (
	"bytes"
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
)

// Lab is a CIELAB colour.
type Lab struct{ L, A, B float64 }

// SRGBToLab converts an sRGB colour (components 0-255, fractions allowed)
// to CIELAB under D65, the sRGB white.
func SRGBToLab(r, g, b float64) Lab {
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	R, G, B := lin(r), lin(g), lin(b)
	x := (0.4124564*R + 0.3575761*G + 0.1804375*B) / 0.95047
	y := 0.2126729*R + 0.7151522*G + 0.0721750*B
	z := (0.0193339*R + 0.1191920*G + 0.9503041*B) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return 841.0/108*t + 4.0/29
	}
	fx, fy, fz := f(x), f(y), f(z)
	return Lab{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// DeltaE2000 is the CIEDE2000 difference of two colours (Sharma, Wu and
// Dalal's formulation, kL = kC = kH = 1).
func DeltaE2000(p, q Lab) float64 {
	rad := math.Pi / 180
	c1 := math.Hypot(p.A, p.B)
	c2 := math.Hypot(q.A, q.B)
	cm := (c1 + c2) / 2
	cm7 := math.Pow(cm, 7)
	g := 0.5 * (1 - math.Sqrt(cm7/(cm7+math.Pow(25, 7))))
	a1, a2 := (1+g)*p.A, (1+g)*q.A
	c1p, c2p := math.Hypot(a1, p.B), math.Hypot(a2, q.B)
	hue := func(b, a float64) float64 {
		if a == 0 && b == 0 {
			return 0
		}
		h := math.Atan2(b, a) / rad
		if h < 0 {
			h += 360
		}
		return h
	}
	h1, h2 := hue(p.B, a1), hue(q.B, a2)
	dL := q.L - p.L
	dC := c2p - c1p
	var dh float64
	switch {
	case c1p*c2p == 0:
		dh = 0
	case math.Abs(h2-h1) <= 180:
		dh = h2 - h1
	case h2-h1 > 180:
		dh = h2 - h1 - 360
	default:
		dh = h2 - h1 + 360
	}
	dH := 2 * math.Sqrt(c1p*c2p) * math.Sin(dh/2*rad)
	lm := (p.L + q.L) / 2
	cmp := (c1p + c2p) / 2
	var hm float64
	switch {
	case c1p*c2p == 0:
		hm = h1 + h2
	case math.Abs(h1-h2) <= 180:
		hm = (h1 + h2) / 2
	case h1+h2 < 360:
		hm = (h1 + h2 + 360) / 2
	default:
		hm = (h1 + h2 - 360) / 2
	}
	t := 1 - 0.17*math.Cos((hm-30)*rad) + 0.24*math.Cos(2*hm*rad) +
		0.32*math.Cos((3*hm+6)*rad) - 0.20*math.Cos((4*hm-63)*rad)
	dTheta := 30 * math.Exp(-math.Pow((hm-275)/25, 2))
	cmp7 := math.Pow(cmp, 7)
	rc := 2 * math.Sqrt(cmp7/(cmp7+math.Pow(25, 7)))
	sl := 1 + 0.015*(lm-50)*(lm-50)/math.Sqrt(20+(lm-50)*(lm-50))
	sc := 1 + 0.045*cmp
	sh := 1 + 0.015*cmp*t
	rt := -math.Sin(2*dTheta*rad) * rc
	return math.Sqrt(math.Pow(dL/sl, 2) + math.Pow(dC/sc, 2) + math.Pow(dH/sh, 2) + rt*(dC/sc)*(dH/sh))
}

// SRGBDeltaE is DeltaE2000 between two sRGB colours (components 0-255).
func SRGBDeltaE(a, b [3]float64) float64 {
	return DeltaE2000(SRGBToLab(a[0], a[1], a[2]), SRGBToLab(b[0], b[1], b[2]))
}

// Transicc converts device colours with LittleCMS's transicc from the
// profile at path to its built-in sRGB with the perceptual intent, in
// floating point, clipped to the sRGB gamut. Inputs are 0-255 for RGB and
// grey, 0-100 (percent ink) for CMYK; outputs are sRGB 0-255. It fails,
// never skips, when transicc is not installed (Debian: liblcms2-utils).
func Transicc(path string, inputs [][]float64) ([][3]float64, error) {
	bin, err := exec.LookPath("transicc")
	if err != nil {
		return nil, fmt.Errorf("transicc (LittleCMS, Debian package liblcms2-utils) is the colour reference and is not installed: %w", err)
	}
	var in bytes.Buffer
	for _, v := range inputs {
		for i, x := range v {
			if i > 0 {
				in.WriteByte(' ')
			}
			in.WriteString(strconv.FormatFloat(x, 'f', 4, 64))
		}
		in.WriteByte('\n')
	}
	cmd := exec.Command(bin, "-t0", "-s", "-n", "-i"+path, "-o*sRGB")
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("transicc -i%s: %v: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Fields(out.String())
	if len(lines) != 3*len(inputs) {
		return nil, fmt.Errorf("transicc -i%s: %d numbers for %d colours: %q", path, len(lines), len(inputs), out.String())
	}
	res := make([][3]float64, len(inputs))
	for i := range res {
		for c := range 3 {
			v, err := strconv.ParseFloat(lines[3*i+c], 64)
			if err != nil {
				return nil, fmt.Errorf("transicc output %q: %v", lines[3*i+c], err)
			}
			res[i][c] = min(max(v, 0), 255)
		}
	}
	return res, nil
}

// Stats are the mean and largest of a set of colour differences.
type Stats struct{ Mean, Max float64 }

// Summarize returns the mean and max of des.
func Summarize(des []float64) Stats {
	var s Stats
	for _, d := range des {
		s.Mean += d
		s.Max = max(s.Max, d)
	}
	if len(des) > 0 {
		s.Mean /= float64(len(des))
	}
	return s
}
