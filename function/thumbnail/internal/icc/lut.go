package icc

import (
	"encoding/binary"
)

// pcsEncoding says how the normalized [0, 1] output of a table maps to the
// profile connection space.
type pcsEncoding int

const (
	pcsXYZ   pcsEncoding = iota // u1.15: 1.0 is 65535/32768
	pcsLabV4                    // L 0-100, a and b -128-127 over the full range
	pcsLabV2                    // lut16 Lab: 0xFF00 is L 100 and a, b 127
)

// lutPipeline is a device-to-PCS table: A curves, a colour lookup table, M
// curves, a matrix and B curves, any of which may be absent (lutAtoB), or
// input curves, table and output curves (lut8, lut16).
type lutPipeline struct {
	in, out int
	a       []curve
	clut    *clut
	m       []curve
	matrix  *[12]float64
	b       []curve
}

// clut is a colour lookup table: grid[i] points along input i (the first
// input varies slowest), out values a point, normalized to [0, 1].
type clut struct {
	grid   []int
	stride []int // values between neighbours along each input
	out    int
	values []float32
}

// eval maps device values in (normalized) to PCS values in out.
func (l *lutPipeline) eval(in []float64, out []float64) {
	var buf [4]float64
	v := buf[:l.in]
	copy(v, in)
	applyCurves(l.a, v)
	if l.clut != nil {
		var o [3]float64
		l.clut.eval(v, o[:])
		v = buf[:l.out]
		copy(v, o[:])
	}
	v = v[:l.out]
	applyCurves(l.m, v)
	if m := l.matrix; m != nil {
		x, y, z := v[0], v[1], v[2]
		v[0] = m[0]*x + m[1]*y + m[2]*z + m[9]
		v[1] = m[3]*x + m[4]*y + m[5]*z + m[10]
		v[2] = m[6]*x + m[7]*y + m[8]*z + m[11]
	}
	applyCurves(l.b, v)
	copy(out, v)
}

// applyCurves maps each value through its curve, if there are curves.
func applyCurves(cs []curve, v []float64) {
	for i := range cs {
		v[i] = cs[i].eval(v[i])
	}
}

// eval interpolates the table at in (each clamped to [0, 1]): linearly for
// one input, tetrahedrally for three, and for four as LittleCMS does,
// tetrahedrally in the last three and linearly along the first.
func (c *clut) eval(in []float64, out []float64) {
	switch len(c.grid) {
	case 1:
		c.linear1(in[0], 0, out)
	case 3:
		c.tetra(in, 0, out)
	case 4:
		p := clamp01(in[0]) * float64(c.grid[0]-1)
		i := min(int(p), c.grid[0]-2)
		f := p - float64(i)
		var lo, hi [3]float64
		c.tetra(in[1:], i*c.stride[0], lo[:])
		c.tetra(in[1:], (i+1)*c.stride[0], hi[:])
		for k := range c.out {
			out[k] = lo[k] + f*(hi[k]-lo[k])
		}
	}
}

// linear1 interpolates a one-input table.
func (c *clut) linear1(x float64, base int, out []float64) {
	p := clamp01(x) * float64(c.grid[0]-1)
	i := min(int(p), c.grid[0]-2)
	f := p - float64(i)
	v0 := c.values[base+i*c.stride[0]:]
	v1 := c.values[base+(i+1)*c.stride[0]:]
	for k := range c.out {
		out[k] = float64(v0[k]) + f*float64(v1[k]-v0[k])
	}
}

// tetra interpolates tetrahedrally over the last three inputs of the table,
// starting base values in; in holds those three inputs.
func (c *clut) tetra(in []float64, base int, out []float64) {
	d := len(c.grid) - 3
	var idx [3]int
	var fr [3]float64
	for k := range 3 {
		n := c.grid[d+k]
		p := clamp01(in[k]) * float64(n-1)
		i := min(int(p), n-2)
		idx[k], fr[k] = i, p-float64(i)
	}
	sx, sy, sz := c.stride[d], c.stride[d+1], c.stride[d+2]
	o := base + idx[0]*sx + idx[1]*sy + idx[2]*sz
	rx, ry, rz := fr[0], fr[1], fr[2]
	// The corner after the first, second and third step along the path
	// of decreasing fractions.
	var s1, s2 int
	var w0, w1, w2, w3 float64
	switch {
	case rx >= ry && ry >= rz:
		s1, s2 = sx, sx+sy
		w0, w1, w2, w3 = 1-rx, rx-ry, ry-rz, rz
	case rx >= rz && rz >= ry:
		s1, s2 = sx, sx+sz
		w0, w1, w2, w3 = 1-rx, rx-rz, rz-ry, ry
	case rz >= rx && rx >= ry:
		s1, s2 = sz, sz+sx
		w0, w1, w2, w3 = 1-rz, rz-rx, rx-ry, ry
	case ry >= rx && rx >= rz:
		s1, s2 = sy, sy+sx
		w0, w1, w2, w3 = 1-ry, ry-rx, rx-rz, rz
	case ry >= rz && rz >= rx:
		s1, s2 = sy, sy+sz
		w0, w1, w2, w3 = 1-ry, ry-rz, rz-rx, rx
	default: // rz >= ry >= rx
		s1, s2 = sz, sz+sy
		w0, w1, w2, w3 = 1-rz, rz-ry, ry-rx, rx
	}
	s3 := sx + sy + sz
	for k := range c.out {
		out[k] = w0*float64(c.values[o+k]) + w1*float64(c.values[o+s1+k]) +
			w2*float64(c.values[o+s2+k]) + w3*float64(c.values[o+s3+k])
	}
}

// parseCLUT decodes a table of the given grid (one count per input), out
// outputs and bytes per value (1 or 2) from the start of b.
func parseCLUT(b []byte, grid []int, out, precision int) (*clut, error) {
	if out != 3 {
		return nil, unsupported("lookup table with %d outputs", out)
	}
	total := uint64(out)
	stride := make([]int, len(grid))
	for i := len(grid) - 1; i >= 0; i-- {
		if grid[i] < 2 {
			return nil, malformed("lookup table with %d grid points", grid[i])
		}
		stride[i] = int(total)
		total *= uint64(grid[i])
		if total > maxCLUTValues {
			return nil, malformed("lookup table of more than %d values", maxCLUTValues)
		}
	}
	if uint64(len(b)) < total*uint64(precision) {
		return nil, malformed("lookup table of %d values in %d bytes", total, len(b))
	}
	v := make([]float32, total)
	if precision == 1 {
		for i := range v {
			v[i] = float32(b[i]) / 255
		}
	} else {
		for i := range v {
			v[i] = float32(binary.BigEndian.Uint16(b[2*i:])) / 65535
		}
	}
	return &clut{grid: grid, stride: stride, out: out, values: v}, nil
}

// parseLut decodes a device-to-PCS tag (lut8, lut16 or lutAtoB) for a
// device space of in channels, and says how its output encodes the PCS.
func parseLut(b []byte, in int, labPCS bool) (*lutPipeline, pcsEncoding, error) {
	if len(b) < 12 {
		return nil, 0, malformed("table tag of %d bytes", len(b))
	}
	enc := pcsXYZ
	if labPCS {
		enc = pcsLabV4
	}
	switch string(b[:4]) {
	case "mft1", "mft2":
		l, err := parseMft(b, in)
		if err == nil && labPCS && string(b[:4]) == "mft2" {
			enc = pcsLabV2
		}
		return l, enc, err
	case "mAB ":
		l, err := parseMAB(b, in)
		return l, enc, err
	}
	return nil, 0, unsupported("table type %q", sigString(binary.BigEndian.Uint32(b)))
}

// parseMft decodes a lut8 (mft1) or lut16 (mft2) tag. Its matrix applies
// only to XYZ input, never to device input, so it is not used.
func parseMft(b []byte, in int) (*lutPipeline, error) {
	if len(b) < 52 {
		return nil, malformed("lut tag of %d bytes", len(b))
	}
	nin, nout, g := int(b[8]), int(b[9]), int(b[10])
	if nin != in || nout != 3 {
		return nil, malformed("lut with %d inputs and %d outputs for a %d-channel space", nin, nout, in)
	}
	precision, inEntries, outEntries, pos := 1, 256, 256, 48
	if string(b[:4]) == "mft2" {
		precision = 2
		inEntries = int(binary.BigEndian.Uint16(b[48:]))
		outEntries = int(binary.BigEndian.Uint16(b[50:]))
		pos = 52
		if inEntries < 2 || outEntries < 2 {
			return nil, malformed("lut16 with %d input and %d output table entries", inEntries, outEntries)
		}
	}
	l := &lutPipeline{in: in, out: 3}
	var err error
	if l.a, pos, err = mftCurves(b, pos, nin, inEntries, precision); err != nil {
		return nil, err
	}
	grid := make([]int, nin)
	for i := range grid {
		grid[i] = g
	}
	if l.clut, err = parseCLUT(b[pos:], grid, nout, precision); err != nil {
		return nil, err
	}
	pos += len(l.clut.values) * precision
	if l.b, _, err = mftCurves(b, pos, nout, outEntries, precision); err != nil {
		return nil, err
	}
	return l, nil
}

// mftCurves decodes n sampled curves of entries values each at b[pos:].
func mftCurves(b []byte, pos, n, entries, precision int) ([]curve, int, error) {
	need := n * entries * precision
	if pos+need > len(b) {
		return nil, 0, malformed("lut curves of %d bytes past the end of the tag", need)
	}
	cs := make([]curve, n)
	for i := range cs {
		t := make([]float64, entries)
		for k := range t {
			if precision == 1 {
				t[k] = float64(b[pos]) / 255
			} else {
				t[k] = float64(binary.BigEndian.Uint16(b[pos:])) / 65535
			}
			pos += precision
		}
		cs[i] = curve{kind: 0, table: t}
	}
	return cs, pos, nil
}

// parseMAB decodes a lutAtoB (mAB) tag: A curves, CLUT, M curves, matrix and
// B curves, each at its own offset (0: absent).
func parseMAB(b []byte, in int) (*lutPipeline, error) {
	if len(b) < 32 {
		return nil, malformed("lutAtoB of %d bytes", len(b))
	}
	nin, nout := int(b[8]), int(b[9])
	if nin != in || nout != 3 {
		return nil, malformed("lutAtoB with %d inputs and %d outputs for a %d-channel space", nin, nout, in)
	}
	offB, offMatrix, offM := binary.BigEndian.Uint32(b[12:]), binary.BigEndian.Uint32(b[16:]), binary.BigEndian.Uint32(b[20:])
	offCLUT, offA := binary.BigEndian.Uint32(b[24:]), binary.BigEndian.Uint32(b[28:])
	at := func(off uint32, need int) ([]byte, error) {
		if uint64(off)+uint64(need) > uint64(len(b)) || off < 32 {
			return nil, malformed("lutAtoB element at %d runs past the %d-byte tag", off, len(b))
		}
		return b[off:], nil
	}
	l := &lutPipeline{in: in, out: 3}
	var err error
	if offB == 0 {
		return nil, malformed("lutAtoB without B curves")
	}
	if l.b, err = mabCurves(b, offB, nout, at); err != nil {
		return nil, err
	}
	if offMatrix != 0 {
		mb, err := at(offMatrix, 48)
		if err != nil {
			return nil, err
		}
		var m [12]float64
		for i := range m {
			m[i] = s15f16(mb[4*i:])
		}
		l.matrix = &m
	}
	if offM != 0 {
		if l.m, err = mabCurves(b, offM, nout, at); err != nil {
			return nil, err
		}
	}
	if offCLUT != 0 {
		cb, err := at(offCLUT, 20)
		if err != nil {
			return nil, err
		}
		grid := make([]int, nin)
		for i := range grid {
			grid[i] = int(cb[i])
		}
		precision := int(cb[16])
		if precision != 1 && precision != 2 {
			return nil, malformed("lutAtoB table precision %d", precision)
		}
		if l.clut, err = parseCLUT(cb[20:], grid, nout, precision); err != nil {
			return nil, err
		}
	} else if nin != nout {
		return nil, malformed("lutAtoB from %d to %d channels without a table", nin, nout)
	}
	if offA != 0 {
		if l.a, err = mabCurves(b, offA, nin, at); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// mabCurves decodes n consecutive curves at offset off of the tag.
func mabCurves(b []byte, off uint32, n int, at func(uint32, int) ([]byte, error)) ([]curve, error) {
	cb, err := at(off, 12)
	if err != nil {
		return nil, err
	}
	cs := make([]curve, n)
	for i := range cs {
		c, size, err := parseCurve(cb)
		if err != nil {
			return nil, err
		}
		cs[i] = c
		if size > len(cb) {
			size = len(cb)
		}
		cb = cb[size:]
	}
	return cs, nil
}
