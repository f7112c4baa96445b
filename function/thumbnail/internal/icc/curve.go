package icc

import (
	"encoding/binary"
	"math"
)

// curve is a one-dimensional tone curve on [0, 1] (curv or para).
type curve struct {
	kind                int       // -1 identity, 0 sampled, 1 parametric
	table               []float64 // sampled values, for kind 0
	fn                  int       // parametric function type 0-4
	g, a, b, c, d, e, f float64
}

// paraParams is the number of parameters of each parametric function type.
var paraParams = [5]int{1, 3, 4, 5, 7}

// parseCurve decodes a curv or para element at the start of b and returns it
// with the number of bytes it takes, padded to 4 as in lutAtoB tables.
func parseCurve(b []byte) (curve, int, error) {
	if len(b) < 12 {
		return curve{}, 0, malformed("curve of %d bytes", len(b))
	}
	switch string(b[:4]) {
	case "curv":
		n := uint64(binary.BigEndian.Uint32(b[8:]))
		switch {
		case n == 0:
			return curve{kind: -1}, 12, nil
		case n == 1:
			if len(b) < 14 {
				return curve{}, 0, malformed("curv gamma truncated")
			}
			g := float64(binary.BigEndian.Uint16(b[12:])) / 256
			return curve{kind: 1, fn: 0, g: g}, 16, nil
		case n > maxCurveEntries:
			return curve{}, 0, malformed("curv of %d entries, limit %d", n, maxCurveEntries)
		case uint64(len(b)) < 12+2*n:
			return curve{}, 0, malformed("curv of %d entries in %d bytes", n, len(b))
		}
		t := make([]float64, n)
		for i := range t {
			t[i] = float64(binary.BigEndian.Uint16(b[12+2*i:])) / 65535
		}
		return curve{kind: 0, table: t}, int(12+2*n+3) &^ 3, nil
	case "para":
		fn := int(binary.BigEndian.Uint16(b[8:]))
		if fn >= len(paraParams) {
			return curve{}, 0, malformed("para function type %d", fn)
		}
		np := paraParams[fn]
		if len(b) < 12+4*np {
			return curve{}, 0, malformed("para type %d truncated", fn)
		}
		var v [7]float64
		for i := range np {
			v[i] = s15f16(b[12+4*i:])
		}
		c := curve{kind: 1, fn: fn, g: v[0], a: v[1], b: v[2], c: v[3], d: v[4], e: v[5], f: v[6]}
		switch fn {
		case 1, 2:
			if c.a == 0 {
				return curve{}, 0, malformed("para type %d with a = 0", fn)
			}
			c.d = -c.b / c.a // the break point
			if fn == 1 {
				c.c = 0
			}
			c.e, c.f = c.c, c.c // below the break: c (type 2) or 0 (type 1)
			c.c = 0
		case 3:
			c.e, c.f = 0, 0
		}
		return c, 12 + 4*np, nil
	}
	return curve{}, 0, malformed("curve type %q", sigString(binary.BigEndian.Uint32(b)))
}

// eval maps x (clamped to [0, 1]) through the curve.
func (c *curve) eval(x float64) float64 {
	x = clamp01(x)
	switch c.kind {
	case -1:
		return x
	case 0:
		n := len(c.table)
		if n == 1 {
			return c.table[0]
		}
		p := x * float64(n-1)
		i := int(p)
		if i >= n-1 {
			return c.table[n-1]
		}
		f := p - float64(i)
		return c.table[i] + f*(c.table[i+1]-c.table[i])
	}
	if c.fn == 0 {
		return pow(x, c.g)
	}
	// Types 1-4 in one form: x >= d: (a x + b)^g + e; below: c x + f.
	if x >= c.d {
		return pow(c.a*x+c.b, c.g) + c.e
	}
	return c.c*x + c.f
}

// pow is math.Pow with a negative base clipped to 0, as colour curves need.
func pow(x, g float64) float64 {
	if x <= 0 {
		return 0
	}
	return math.Pow(x, g)
}

// clamp01 clamps x to [0, 1], NaN to 0.
func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// readCurveTag decodes a whole TRC tag.
func (p *Profile) readCurveTag(sig uint32) (curve, error) {
	b, _, ok := p.tag(sig)
	if !ok {
		return curve{}, malformed("no %s tag", sigString(sig))
	}
	c, _, err := parseCurve(b)
	return c, err
}
