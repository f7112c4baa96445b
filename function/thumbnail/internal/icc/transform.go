package icc

import "math"

// Grid sizes of the precomputed tables for LUT-based profiles, as LittleCMS
// chooses for its normal precision: 33 points per side for three channels,
// 17 for four.
const (
	grid3 = 33
	grid4 = 17
)

// encSteps is the number of steps of the table that applies the sRGB curve to
// linear values: fine enough that the 8-bit result is off by at most one.
const encSteps = 1 << 14

// transformKind says which fast path a transform takes.
type transformKind int

const (
	kindIdentity transformKind = iota // an sRGB profile: nothing to do
	kindGray                          // one channel through a 256-entry table
	kindMatrix                        // per-channel curves, 3x3 matrix, sRGB curve
	kindLUT                           // 3 or 4 channels through a grid, interpolated
)

// Transform converts pixels in a profile's device space to sRGB. It is
// read-only once built and safe for concurrent use.
type Transform struct {
	kind     transformKind
	channels int

	gray [256]uint8 // kindGray: device grey to sRGB grey

	lin    [3][256]float32 // kindMatrix: device value to linear
	matrix [9]float32      // kindMatrix: linear device RGB to linear sRGB
	offset [3]float32      // kindMatrix: black point compensation
	enc    []uint8         // kindMatrix: linear sRGB (encSteps+1) to 8-bit

	grid   int       // kindLUT: points per side
	nodes  []float32 // kindLUT: sRGB at each node, 3 values
	linear bool      // kindLUT: nodes hold linear sRGB (else encoded, 0-1)
}

// pcsFunc maps normalized device values to PCS XYZ (D50, white Y = 1).
type pcsFunc func(in []float64) [3]float64

// NewTransform builds the transform from the profile's device space to sRGB:
// the perceptual table when the profile has one (else its colorimetric
// table, else its matrix/TRC or grey TRC model), with black point
// compensation where LittleCMS applies it for the perceptual intent into its
// built-in (version 4) sRGB profile.
func NewTransform(p *Profile) (*Transform, error) {
	n := p.Space.Channels()
	if n == 0 {
		return nil, unsupported("device space %q", p.Space)
	}
	switch p.class {
	case sigLinkCls, sigAbstract, sigNamed:
		return nil, unsupported("profile class %q", sigString(p.class))
	}
	if p.pcs != sigXYZPCS && p.pcs != sigLabPCS {
		return nil, malformed("connection space %q", sigString(p.pcs))
	}
	toPCS, lutBased, err := p.deviceToPCS(n)
	if err != nil {
		return nil, err
	}
	bp := p.blackPoint(toPCS, lutBased, n)
	t := &Transform{channels: n}
	toSRGB := func(in []float64) [3]float64 {
		return xyzToSRGB.apply(compensate(toPCS(in), bp))
	}
	switch {
	case n == 1 && !lutBased:
		t.buildGray(toPCS, bp)
	case n == 3 && !lutBased:
		if err := t.buildMatrix(p, bp); err != nil {
			return nil, err
		}
	case n == 1:
		t.buildGray(toPCS, bp)
	default:
		t.buildLUT(toSRGB, n, p.pcs == sigXYZPCS)
	}
	return t, nil
}

// deviceToPCS returns the device-to-PCS function and whether it is a table.
func (p *Profile) deviceToPCS(n int) (pcsFunc, bool, error) {
	for _, sig := range []uint32{tagA2B0, tagA2B1} {
		b, _, ok := p.tag(sig)
		if !ok {
			continue
		}
		l, enc, err := parseLut(b, n, p.pcs == sigLabPCS)
		if err != nil {
			return nil, false, err
		}
		return func(in []float64) [3]float64 {
			var out [3]float64
			l.eval(in, out[:])
			return decodePCS(out[:], enc)
		}, true, nil
	}
	switch {
	case n == 1 && p.isMatrixShaper():
		c, err := p.readCurveTag(tagKTRC)
		if err != nil {
			return nil, false, err
		}
		if p.pcs == sigLabPCS {
			return func(in []float64) [3]float64 { return labToXYZ(100*c.eval(in[0]), 0, 0) }, false, nil
		}
		return func(in []float64) [3]float64 {
			y := c.eval(in[0])
			return [3]float64{d50[0] * y, d50[1] * y, d50[2] * y}
		}, false, nil
	case n == 3 && p.isMatrixShaper():
		m, curves, err := p.matrixShaper()
		if err != nil {
			return nil, false, err
		}
		return func(in []float64) [3]float64 {
			return m.apply([3]float64{curves[0].eval(in[0]), curves[1].eval(in[1]), curves[2].eval(in[2])})
		}, false, nil
	}
	return nil, false, malformed("%s profile without A2B0, A2B1 or matrix/TRC tags", p.Space)
}

// matrixShaper reads the colorant matrix and the three TRCs.
func (p *Profile) matrixShaper() (mat3, [3]curve, error) {
	var m mat3
	var cs [3]curve
	for i, sig := range []uint32{tagRXYZ, tagGXYZ, tagBXYZ} {
		v, err := p.readXYZ(sig)
		if err != nil {
			return m, cs, err
		}
		m[i], m[3+i], m[6+i] = v[0], v[1], v[2]
	}
	if _, ok := m.inverse(); !ok {
		return m, cs, malformed("colorant matrix is singular")
	}
	for i, sig := range []uint32{tagRTRC, tagGTRC, tagBTRC} {
		c, err := p.readCurveTag(sig)
		if err != nil {
			return m, cs, err
		}
		cs[i] = c
	}
	return m, cs, nil
}

// readXYZ decodes the first value of an XYZ tag.
func (p *Profile) readXYZ(sig uint32) ([3]float64, error) {
	b, typ, ok := p.tag(sig)
	if !ok || typ != 0x58595A20 || len(b) < 20 {
		return [3]float64{}, malformed("%s tag missing or not XYZ", sigString(sig))
	}
	return [3]float64{s15f16(b[8:]), s15f16(b[12:]), s15f16(b[16:])}, nil
}

// perceptualBlack is the black of the version 4 perceptual reference medium.
var perceptualBlack = [3]float64{0.00336, 0.0034731, 0.00287}

// blackPoint finds the source black point as LittleCMS's cmsDetectBlackPoint
// does for the perceptual intent: fixed for version 4 tables, otherwise the
// darkest device colour (all channels at 1 for CMYK, 0 otherwise) made
// neutral and at most L* 50. The sRGB black point is 0.
func (p *Profile) blackPoint(toPCS pcsFunc, lutBased bool, n int) [3]float64 {
	if p.Major >= 4 && lutBased {
		return perceptualBlack
	}
	dark := make([]float64, n)
	if n == 4 {
		for i := range dark {
			dark[i] = 1
		}
	}
	l, _, _ := xyzToLab(toPCS(dark))
	if !(l >= 0) {
		l = 0
	}
	return labToXYZ(min(l, 50), 0, 0)
}

// compensate maps black point bp to 0, keeping the D50 white, as
// LittleCMS's black point compensation.
func compensate(v, bp [3]float64) [3]float64 {
	if bp == ([3]float64{}) {
		return v
	}
	for i := range v {
		v[i] = d50[i] * (v[i] - bp[i]) / (d50[i] - bp[i])
	}
	return v
}

// buildGray fills the grey table: the PCS luminance, sRGB-encoded.
func (t *Transform) buildGray(toPCS pcsFunc, bp [3]float64) {
	t.kind = kindGray
	for i := range t.gray {
		y := compensate(toPCS([]float64{float64(i) / 255}), bp)[1]
		t.gray[i] = to8(encodeSRGB(y))
	}
}

// buildMatrix fills the per-channel curve tables, the combined matrix and
// the sRGB curve table; an sRGB profile becomes the identity.
func (t *Transform) buildMatrix(p *Profile, bp [3]float64) error {
	t.kind = kindMatrix
	colorants, curves, err := p.matrixShaper()
	if err != nil {
		return err
	}
	// compensate is affine per XYZ component: v' = s v + o.
	var s, o [3]float64
	for i := range s {
		s[i] = 1
		if bp != ([3]float64{}) {
			s[i] = d50[i] / (d50[i] - bp[i])
			o[i] = -bp[i] * s[i]
		}
	}
	scaled := colorants
	for r := range 3 {
		for c := range 3 {
			scaled[3*r+c] *= s[r]
		}
	}
	m := xyzToSRGB.mul(scaled)
	off := xyzToSRGB.apply(o)
	for i := range m {
		t.matrix[i] = float32(m[i])
	}
	for i := range off {
		t.offset[i] = float32(off[i])
	}
	for c := range 3 {
		for i := range 256 {
			t.lin[c][i] = float32(curves[c].eval(float64(i) / 255))
		}
	}
	t.enc = srgbEncodeTable()
	if t.isIdentity() {
		t.kind = kindIdentity
	}
	return nil
}

// isIdentity reports whether the matrix path maps every grey and every
// primary ramp to itself, as for an sRGB source.
func (t *Transform) isIdentity() bool {
	for i, v := range t.matrix {
		want := float32(0)
		if i%4 == 0 {
			want = 1
		}
		if math.Abs(float64(v-want)) > 2e-3 {
			return false
		}
	}
	for c := range 3 {
		for i := range 256 {
			if t.enc[encIndex(t.lin[c][i])] != uint8(i) {
				return false
			}
		}
	}
	return true
}

// srgbEncodeTable returns the sRGB curve sampled at encSteps+1 linear values.
func srgbEncodeTable() []uint8 {
	e := make([]uint8, encSteps+1)
	for i := range e {
		e[i] = to8(encodeSRGB(float64(i) / encSteps))
	}
	return e
}

// encIndex returns the encode table index of linear value v, clamped.
func encIndex(v float32) int {
	if !(v > 0) {
		return 0
	}
	if v >= 1 {
		return encSteps
	}
	return int(v*encSteps + 0.5)
}

// buildLUT samples toSRGB on a grid over the n device channels. With an XYZ
// connection space the profile's own tables are linear in light, and so are
// the nodes, encoded after interpolation: interpolating encoded values would
// bend dark colours. With Lab the nodes are encoded, closer to Lab's
// lightness scale.
func (t *Transform) buildLUT(toSRGB pcsFunc, n int, linear bool) {
	t.kind = kindLUT
	t.linear = linear
	if linear {
		t.enc = srgbEncodeTable()
	}
	t.grid = grid3
	if n == 4 {
		t.grid = grid4
	}
	g := t.grid
	total := 1
	for range n {
		total *= g
	}
	t.nodes = make([]float32, 3*total)
	in := make([]float64, n)
	idx := make([]int, n)
	for k := range total {
		for i := range n {
			in[i] = float64(idx[i]) / float64(g-1)
		}
		v := toSRGB(in)
		for c := range 3 {
			if linear {
				t.nodes[3*k+c] = float32(v[c])
			} else {
				t.nodes[3*k+c] = float32(clamp01(encodeSRGB(v[c])))
			}
		}
		// Next grid point, the last input varying fastest.
		for i := n - 1; i >= 0; i-- {
			if idx[i]++; idx[i] < g {
				break
			}
			idx[i] = 0
		}
	}
}

// to8 rounds a [0, 1] value to 8 bits, clamping.
func to8(v float64) uint8 {
	return uint8(clamp01(v)*255 + 0.5)
}
