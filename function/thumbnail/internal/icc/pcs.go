package icc

import (
	"math"
	"sync"
)

// d50 is the PCS white, as LittleCMS's cmsD50_XYZ.
var d50 = [3]float64{0.9642, 1.0, 0.8249}

// mat3 is a 3x3 matrix in row order.
type mat3 [9]float64

// mul returns m times n.
func (m mat3) mul(n mat3) mat3 {
	var r mat3
	for i := range 3 {
		for j := range 3 {
			r[3*i+j] = m[3*i]*n[j] + m[3*i+1]*n[3+j] + m[3*i+2]*n[6+j]
		}
	}
	return r
}

// apply returns m times v.
func (m mat3) apply(v [3]float64) [3]float64 {
	return [3]float64{
		m[0]*v[0] + m[1]*v[1] + m[2]*v[2],
		m[3]*v[0] + m[4]*v[1] + m[5]*v[2],
		m[6]*v[0] + m[7]*v[1] + m[8]*v[2],
	}
}

// inverse returns the inverse of m, and false if m is singular.
func (m mat3) inverse() (mat3, bool) {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	if math.Abs(det) < 1e-12 || math.IsNaN(det) || math.IsInf(det, 0) {
		return mat3{}, false
	}
	return mat3{
		(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det,
		(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det,
		(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det,
	}, true
}

// bradford is the Bradford cone response matrix LittleCMS adapts with.
var bradford = mat3{
	0.8951, 0.2664, -0.1614,
	-0.7502, 1.7135, 0.0367,
	0.0389, -0.0685, 1.0296,
}

// adaptation returns the Bradford matrix taking colours under white src to
// white dst.
func adaptation(src, dst [3]float64) mat3 {
	inv, _ := bradford.inverse()
	s, d := bradford.apply(src), bradford.apply(dst)
	scale := mat3{d[0] / s[0], 0, 0, 0, d[1] / s[1], 0, 0, 0, d[2] / s[2]}
	return inv.mul(scale).mul(bradford)
}

// xyY returns the XYZ of chromaticity x, y at luminance 1.
func xyY(x, y float64) [3]float64 { return [3]float64{x / y, 1, (1 - x - y) / y} }

// rgbToXYZD50 returns the matrix from linear RGB with the given primaries and
// white to PCS XYZ, adapted to D50 with Bradford, as LittleCMS builds its
// built-in profiles.
func rgbToXYZD50(r, g, b, white [2]float64) mat3 {
	pr, pg, pb := xyY(r[0], r[1]), xyY(g[0], g[1]), xyY(b[0], b[1])
	p := mat3{pr[0], pg[0], pb[0], pr[1], pg[1], pb[1], pr[2], pg[2], pb[2]}
	pinv, _ := p.inverse()
	w := xyY(white[0], white[1])
	s := pinv.apply(w)
	m := mat3{
		p[0] * s[0], p[1] * s[1], p[2] * s[2],
		p[3] * s[0], p[4] * s[1], p[5] * s[2],
		p[6] * s[0], p[7] * s[1], p[8] * s[2],
	}
	return adaptation(w, d50).mul(m)
}

// D65 white and the sRGB (Rec. 709) primaries, as in LittleCMS's cmsCreate_sRGBProfile.
var (
	whiteD65     = [2]float64{0.3127, 0.3290}
	srgbToXYZ    = rgbToXYZD50([2]float64{0.64, 0.33}, [2]float64{0.30, 0.60}, [2]float64{0.15, 0.06}, whiteD65)
	xyzToSRGB, _ = srgbToXYZ.inverse()
)

// labToXYZ converts PCS Lab (D50) to XYZ.
func labToXYZ(l, a, b float64) [3]float64 {
	fy := (l + 16) / 116
	fx := fy + a/500
	fz := fy - b/200
	inv := func(t float64) float64 {
		if t > 6.0/29 {
			return t * t * t
		}
		return 108.0 / 841 * (t - 4.0/29)
	}
	return [3]float64{d50[0] * inv(fx), d50[1] * inv(fy), d50[2] * inv(fz)}
}

// xyzToLab converts PCS XYZ (D50) to Lab.
func xyzToLab(v [3]float64) (l, a, b float64) {
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return 841.0/108*t + 4.0/29
	}
	fx, fy, fz := f(v[0]/d50[0]), f(v[1]/d50[1]), f(v[2]/d50[2])
	return 116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)
}

// decodePCS turns a table's normalized output into PCS XYZ.
func decodePCS(v []float64, enc pcsEncoding) [3]float64 {
	switch enc {
	case pcsLabV4:
		return labToXYZ(v[0]*100, v[1]*255-128, v[2]*255-128)
	case pcsLabV2:
		return labToXYZ(v[0]*100*65535/65280, v[1]*65535/256-128, v[2]*65535/256-128)
	}
	const maxXYZ = 1 + 32767.0/32768
	return [3]float64{v[0] * maxXYZ, v[1] * maxXYZ, v[2] * maxXYZ}
}

// encodeSRGB applies the sRGB transfer curve to a linear value, unclamped
// below 0 (sign kept) and above 1.
func encodeSRGB(x float64) float64 {
	if x <= 0.0031308 {
		return 12.92 * x
	}
	return 1.055*math.Pow(x, 1/2.4) - 0.055
}

// encodeSRGBFast is encodeSRGB on [0, 1] through a table of 4096 steps,
// linearly interpolated: within 1e-4 of the curve, and quick to build the
// grids of LUT-based profiles with.
func encodeSRGBFast(x float64) float64 {
	if x <= 0.0031308 {
		return 12.92 * x
	}
	t := srgbCurveTable()
	p := min(x, 1) * 4096
	i := min(int(p), 4095)
	f := p - float64(i)
	return t[i] + f*(t[i+1]-t[i])
}

// srgbCurveTable samples encodeSRGB at 4097 points, once.
var srgbCurveTable = sync.OnceValue(func() []float64 {
	t := make([]float64, 4097)
	for i := range t {
		t[i] = encodeSRGB(float64(i) / 4096)
	}
	return t
})

// decodeSRGB is the inverse of encodeSRGB on [0, 1].
func decodeSRGB(x float64) float64 {
	if x <= 0.04045 {
		return x / 12.92
	}
	return math.Pow((x+0.055)/1.055, 2.4)
}
