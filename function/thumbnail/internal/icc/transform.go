package icc

import (
	"math"
	"strings"
	"sync"
)

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

// Fixed-point scales of the fast paths.
const (
	linOne    = 1 << 16 // kindMatrix curve tables: linear 1.0
	matrixOne = 1 << 12 // kindMatrix matrix: coefficient 1.0
	fracOne   = 1 << 16 // kindLUT: a whole grid cell
)

// Transform converts pixels in a profile's device space to sRGB. It is
// read-only once built and safe for concurrent use.
type Transform struct {
	kind     transformKind
	channels int

	gray [256]uint8 // kindGray: device grey to sRGB grey

	lin    [3][256]int32 // kindMatrix: device value to linear, linOne = 1
	matrix [9]int32      // kindMatrix: linear device RGB to linear sRGB
	offset [3]int32      // kindMatrix: black point compensation, linOne*matrixOne = 1

	grid  int        // kindLUT: points per side
	cell  [256]int32 // kindLUT: grid cell of each 8-bit input
	frac  [256]int32 // kindLUT: position within the cell, fracOne = 1
	nodes []int32    // kindLUT: 3 values a node, encSteps = 1

	// out maps encSteps+1 steps of a value to 8 bits: through the sRGB curve
	// for linear values (kindMatrix, kindLUT from XYZ), straight for
	// encoded ones (kindLUT from Lab).
	out []uint8
}

// pcsFunc maps normalized device values to PCS XYZ (D50, white Y = 1).
type pcsFunc func(in []float64) [3]float64

// NewTransform builds the transform from the profile's device space to sRGB:
// the perceptual table when the profile has one (else its colorimetric
// table, else its matrix/TRC or grey TRC model), with black point
// compensation where LittleCMS applies it for the perceptual intent into its
// built-in (version 4) sRGB profile. Between two D50 connection spaces the
// perceptual and relative intents take colorants as they are: the media
// white (wtpt) and chromatic adaptation (chad) tags matter only for the
// absolute intent, in LittleCMS too, so they are not read.
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
	case n == 1:
		t.buildGray(toPCS, bp)
	case n == 3 && !lutBased:
		if err := t.buildMatrix(p, bp); err != nil {
			return nil, err
		}
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
	return nil, false, malformed("%s profile has no A2B0 or A2B1 table and no complete TRC model (missing %s)", p.Space, p.missingShaperTags())
}

// missingShaperTags names the matrix/TRC (or grey TRC) tags the profile lacks.
func (p *Profile) missingShaperTags() string {
	sigs := []uint32{tagRXYZ, tagGXYZ, tagBXYZ, tagRTRC, tagGTRC, tagBTRC}
	if p.Space == SpaceGray {
		sigs = []uint32{tagKTRC}
	}
	var missing []string
	for _, s := range sigs {
		if !p.has(s) {
			missing = append(missing, sigString(s))
		}
	}
	return strings.Join(missing, ", ")
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

// buildMatrix fills the matrix path from the profile's colorants and TRCs.
func (t *Transform) buildMatrix(p *Profile, bp [3]float64) error {
	colorants, curves, err := p.matrixShaper()
	if err != nil {
		return err
	}
	t.fillMatrix(colorants, curves, bp)
	return nil
}

// fillMatrix fills the per-channel curve tables, the combined matrix (with
// black point compensation of bp) and the sRGB curve table; an sRGB source
// becomes the identity.
func (t *Transform) fillMatrix(colorants mat3, curves [3]curve, bp [3]float64) {
	t.kind = kindMatrix
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
		t.matrix[i] = int32(math.Round(m[i] * matrixOne))
	}
	for i := range off {
		t.offset[i] = int32(math.Round(off[i] * linOne * matrixOne))
	}
	for c := range 3 {
		for i := range 256 {
			t.lin[c][i] = int32(math.Round(curves[c].eval(float64(i)/255) * linOne))
		}
	}
	t.out = srgbEncodeTable()
	if t.isIdentity() {
		t.kind = kindIdentity
	}
}

// isIdentity reports whether the matrix path maps every value of every
// channel to itself, as for an sRGB source.
func (t *Transform) isIdentity() bool {
	for i, v := range t.matrix {
		want := int32(0)
		if i%4 == 0 {
			want = matrixOne
		}
		if v < want-8 || v > want+8 {
			return false
		}
	}
	if t.offset != [3]int32{} {
		return false
	}
	for c := range 3 {
		for i := range 256 {
			if t.out[linIndex(t.lin[c][i]*matrixOne)] != uint8(i) {
				return false
			}
		}
	}
	return true
}

// linIndex turns a matrix product (linOne*matrixOne = 1) into an index of
// the out table, clamped.
func linIndex(v int32) int {
	const shift = 28 - 14 // log2(linOne*matrixOne) - log2(encSteps)
	return int(min(max((v+1<<(shift-1))>>shift, 0), encSteps))
}

// srgbEncodeTable returns the sRGB curve sampled at encSteps+1 linear
// values, to 8 bits. It is built once and shared.
var srgbEncodeTable = sync.OnceValue(func() []uint8 {
	e := make([]uint8, encSteps+1)
	for i := range e {
		e[i] = to8(encodeSRGB(float64(i) / encSteps))
	}
	return e
})

// straightTable returns encSteps+1 steps of [0, 1] to 8 bits, shared.
var straightTable = sync.OnceValue(func() []uint8 {
	e := make([]uint8, encSteps+1)
	for i := range e {
		e[i] = to8(float64(i) / encSteps)
	}
	return e
})

// buildLUT samples toSRGB on a grid over the n device channels. With an XYZ
// connection space the profile's own tables are linear in light, and so are
// the nodes, encoded after interpolation: interpolating encoded values would
// bend dark colours. With Lab the nodes are encoded, closer to Lab's
// lightness scale.
func (t *Transform) buildLUT(toSRGB pcsFunc, n int, linear bool) {
	t.kind = kindLUT
	t.grid = grid3
	if n == 4 {
		t.grid = grid4
	}
	g := t.grid
	for v := range 256 {
		p := v * (g - 1) * fracOne / 255
		c := min(p/fracOne, g-2)
		t.cell[v], t.frac[v] = int32(c), int32(p-c*fracOne)
	}
	t.out = straightTable()
	if linear {
		t.out = srgbEncodeTable()
	}
	total := 1
	for range n {
		total *= g
	}
	t.nodes = make([]int32, 3*total)
	in := make([]float64, n)
	idx := make([]int, n)
	for k := range total {
		for i := range n {
			in[i] = float64(idx[i]) / float64(g-1)
		}
		v := toSRGB(in)
		for c := range 3 {
			x := v[c]
			if !linear {
				x = encodeSRGBFast(clamp01(x))
			}
			// Linear values outside [0, 1] are kept (within bounds), so the
			// clipping happens after interpolation, as in LittleCMS.
			t.nodes[3*k+c] = int32(math.Round(max(min(x, 4), -4) * encSteps))
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
