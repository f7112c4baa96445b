package vp8l

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// This file writes random but valid VP8L streams, every feature of the
// format exercised: all four transforms in any order, predictor modes 0-15,
// colour caches of 1-11 bits, Huffman groups through a meta image, simple
// and normal codes, codes of one symbol, LZ77 references with plane codes
// and long distances. The pixels are whatever the stream makes them: the
// tests compare the decoder with libwebp's dwebp, not with a source image.

// riff wraps a VP8L payload in a RIFF WebP container.
func riff(payload []byte) []byte {
	chunk := binary.LittleEndian.AppendUint32([]byte("VP8L"), uint32(len(payload)))
	chunk = append(chunk, payload...)
	if len(payload)&1 == 1 {
		chunk = append(chunk, 0)
	}
	out := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return append(append(out, "WEBP"...), chunk...)
}

// huffCode is a code as a stream declares it: how, and which symbols it
// can write.
type huffCode struct {
	simple  []uint32 // a simple code of these (1 or 2) symbols, as written
	lengths []uint32 // a normal code's length of every symbol
	codes   []uint32
	usable  []uint32 // the symbols the decoder can read (one: it takes no bits)
}

// completeLengths returns lengths for n >= 2 symbols filling the code space.
func completeLengths(n int) []uint32 {
	long := uint32(bits.Len(uint(n - 1)))
	short := 1<<long - n
	lengths := make([]uint32, n)
	for i := range lengths {
		lengths[i] = long
		if i < short {
			lengths[i] = long - 1
		}
	}
	return lengths
}

func canonical(lengths []uint32) []uint32 {
	var count, next [16]uint32
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	for l, c := 1, uint32(0); l < 16; l++ {
		c = (c + count[l-1]) << 1
		next[l] = c
	}
	codes := make([]uint32, len(lengths))
	for s, l := range lengths {
		if l > 0 {
			codes[s] = next[l]
			next[l]++
		}
	}
	return codes
}

// normalCode is a code over the given symbols of an alphabet of size n,
// with a random shape: balanced, or skewed so that lengths reach 15 bits.
func normalCode(rng *rand.Rand, n int, symbols []uint32) huffCode {
	c := huffCode{lengths: make([]uint32, n), usable: symbols}
	var ls []uint32
	if len(symbols) == 1 {
		ls = []uint32{uint32(1 + rng.IntN(15))} // any length: one symbol takes no bits
	} else if len(symbols) > 16 && rng.IntN(3) == 0 {
		// Skewed: lengths 1, 2, ..., depth, then a balanced tail, as deep
		// as 15 bits allows.
		depth := 0
		for d := 1; len(symbols)-d >= 2; d++ {
			if bits.Len(uint(len(symbols)-d-1))+d <= 15 {
				depth = d
			}
		}
		for d := 1; d <= depth; d++ {
			ls = append(ls, uint32(d))
		}
		for _, l := range completeLengths(len(symbols) - depth) {
			ls = append(ls, l+uint32(depth))
		}
	} else {
		ls = completeLengths(len(symbols))
	}
	rng.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
	for i, s := range symbols {
		c.lengths[s] = ls[i]
	}
	c.codes = canonical(c.lengths)
	return c
}

var codeLengthOrder = [19]int{17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

// write declares the code.
func (c huffCode) write(rng *rand.Rand, w *BitWriter) {
	if c.simple != nil {
		w.Write(1, 1)
		w.Write(uint32(len(c.simple)-1), 1)
		if c.simple[0] < 2 && rng.IntN(2) == 0 {
			w.Write(0, 1)
			w.Write(c.simple[0], 1)
		} else {
			w.Write(1, 1)
			w.Write(c.simple[0], 8)
		}
		if len(c.simple) == 2 {
			w.Write(c.simple[1], 8)
		}
		return
	}
	// The code length code: a complete code over the lengths used, the
	// zero runs written with codes 17 and 18 where they help.
	used := map[uint32]bool{0: true, 17: true, 18: true}
	for _, l := range c.lengths {
		used[l] = true
	}
	var values []int
	for v := range 19 {
		if used[uint32(v)] {
			values = append(values, v)
		}
	}
	clLengths := make([]uint32, 19)
	for i, l := range completeLengths(len(values)) {
		clLengths[values[i]] = l
	}
	clCodes := canonical(clLengths)
	w.Write(0, 1)
	w.Write(19-4, 4)
	for _, s := range codeLengthOrder {
		w.Write(clLengths[s], 3)
	}
	// Sometimes declare how many length codes follow: up to the last used.
	last := 0
	for s, l := range c.lengths {
		if l != 0 {
			last = s
		}
	}
	tokens := 0
	for i := 0; i <= last; {
		run := 0
		for i+run <= last && c.lengths[i+run] == 0 {
			run++
		}
		if run >= 3 {
			i += min(run, 138)
		} else {
			i++
		}
		tokens++
	}
	if tokens >= 2 && rng.IntN(2) == 0 {
		nbits := uint(2 + 2*((bits.Len(uint(tokens-2))+1)/2))
		nbits = max(nbits, 2)
		w.Write(1, 1)
		w.Write(uint32(nbits-2)/2, 3)
		w.Write(uint32(tokens-2), nbits)
	} else {
		w.Write(0, 1)
		last = len(c.lengths) - 1
	}
	for i := 0; i <= last; {
		run := 0
		for i+run <= last && c.lengths[i+run] == 0 {
			run++
		}
		switch {
		case run >= 11:
			r := min(run, 138)
			w.WriteCode(clCodes[18], clLengths[18])
			w.Write(uint32(r-11), 7)
			i += r
		case run >= 3:
			w.WriteCode(clCodes[17], clLengths[17])
			w.Write(uint32(run-3), 3)
			i += run
		default:
			l := c.lengths[i]
			w.WriteCode(clCodes[l], clLengths[l])
			i++
		}
	}
}

// put writes symbol s, which must be usable.
func (c huffCode) put(w *BitWriter, s uint32) {
	if len(c.usable) == 1 {
		return
	}
	w.WriteCode(c.codes[s], c.lengths[s])
}

func (c huffCode) pick(rng *rand.Rand) uint32 { return c.usable[rng.IntN(len(c.usable))] }

// group is the five codes of a Huffman group.
type group [5]huffCode

// writer builds a stream.
type writer struct {
	rng *rand.Rand
	w   BitWriter
	// libwebpOnly is set when the stream uses a corner where
	// golang.org/x/image/vp8l and libwebp decode differently.
	libwebpOnly bool
	// noCorners keeps the stream off those corners.
	noCorners bool
}

func symbols(from, n int) []uint32 {
	s := make([]uint32, n)
	for i := range s {
		s[i] = uint32(from + i)
	}
	return s
}

// randomSubset returns k distinct symbols of [0, n), sorted.
func randomSubset(rng *rand.Rand, n, k int) []uint32 {
	p := rng.Perm(n)[:k]
	s := make([]uint32, k)
	for i, v := range p {
		s[i] = uint32(v)
	}
	slices.Sort(s)
	return s
}

// channelCode is a code for red, blue or alpha: all 256 values, a few, two
// in a simple code, or one.
func (wr *writer) channelCode() huffCode {
	rng := wr.rng
	switch rng.IntN(6) {
	case 0:
		v := uint32(rng.IntN(256))
		return huffCode{simple: []uint32{v}, usable: []uint32{v}}
	case 1:
		ab := randomSubset(rng, 256, 2)
		a, b := ab[0], ab[1]
		if !wr.noCorners && rng.IntN(6) == 0 {
			// The same symbol twice: one symbol, no bits, in libwebp.
			wr.libwebpOnly = true
			return huffCode{simple: []uint32{a, a}, usable: []uint32{a}}
		}
		c := huffCode{simple: []uint32{a, b}, usable: []uint32{a, b}, lengths: make([]uint32, 256)}
		if !wr.noCorners && rng.IntN(3) == 0 {
			// The larger symbol first: libwebp gives the codes in symbol
			// order (canonical), x/image in the order written.
			wr.libwebpOnly = true
			c.simple = []uint32{b, a}
		}
		c.lengths[a], c.lengths[b] = 1, 1
		c.codes = canonical(c.lengths)
		return c
	case 2:
		return normalCode(rng, 256, randomSubset(rng, 256, 1+rng.IntN(20)))
	}
	return normalCode(rng, 256, symbols(0, 256))
}

// greenCode is a code over the green alphabet; lz77 and cache say whether
// length and cache symbols may be used.
func (wr *writer) greenCode(cacheBits int, lz77 bool) huffCode {
	rng := wr.rng
	n := 280
	if cacheBits > 0 {
		n += 1 << cacheBits
	}
	if !lz77 {
		if rng.IntN(4) == 0 {
			v := uint32(rng.IntN(256))
			return huffCode{simple: []uint32{v}, usable: []uint32{v}}
		}
		return normalCode(rng, n, randomSubset(rng, 256, 1+rng.IntN(256)))
	}
	all := symbols(0, n)
	if rng.IntN(2) == 0 {
		return normalCode(rng, n, all)
	}
	// Literals, every length symbol, and some cache symbols.
	s := append(symbols(0, 280), randomSubset(rng, n-280, min(n-280, rng.IntN(8)))...)
	for i := range s[280:] {
		s[280+i] += 280
	}
	return normalCode(rng, n, s)
}

// distanceCode is a code over the 40 distance symbols.
func (wr *writer) distanceCode() huffCode {
	rng := wr.rng
	if !wr.noCorners && rng.IntN(8) == 0 {
		// A simple code naming a symbol outside the alphabet: libwebp
		// drops it, x/image refuses the code.
		wr.libwebpOnly = true
		v := uint32(rng.IntN(40))
		return huffCode{simple: []uint32{v, 40 + uint32(rng.IntN(216))}, usable: []uint32{v}}
	}
	return normalCode(rng, 40, symbols(0, 40))
}

// prefix returns the prefix symbol, extra bits and their value of a LZ77
// length or distance code v >= 1, section 4.2.2.
func prefix(v int) (symbol uint32, extraBits uint, extra uint32) {
	if v <= 4 {
		return uint32(v - 1), 0, 0
	}
	x := v - 1
	hb := bits.Len(uint(x)) - 1
	second := (x >> (hb - 1)) & 1
	return uint32(2*hb + second), uint(hb - 1), uint32(x & (1<<(hb-1) - 1))
}

// planeDistance is the distance in pixels of distance code dc in an image w wide.
func planeDistance(w, dc int) int { return distanceMap(w, uint32(dc)) }

// image writes the entropy-coded image w x h. literal, if set, gives each
// pixel's value, written as literals with codes of all 256 symbols;
// otherwise the pixels are random literals, LZ77 references and cache
// lookups.
func (wr *writer) image(w, h int, topLevel bool, literal func(i int) [4]uint32) {
	rng, bw := wr.rng, &wr.w
	cacheBits := 0
	if literal == nil && rng.IntN(2) == 0 {
		cacheBits = 1 + rng.IntN(11)
		bw.Write(1, 1)
		bw.Write(uint32(cacheBits), 4)
	} else {
		bw.Write(0, 1)
	}
	nGroups, metaBits := 1, 0
	var meta []int
	if topLevel {
		if literal == nil && rng.IntN(2) == 0 {
			metaBits = 2 + rng.IntN(3)
			tw, th := nTiles(w, uint32(metaBits)), nTiles(h, uint32(metaBits))
			nGroups = 1 + rng.IntN(min(6, tw*th))
			meta = make([]int, tw*th)
			for i := range meta {
				meta[i] = rng.IntN(nGroups)
			}
			// The stream holds as many groups as the largest index names.
			nGroups = slices.Max(meta) + 1
			bw.Write(1, 1)
			bw.Write(uint32(metaBits-2), 3)
			wr.image(tw, th, false, func(i int) [4]uint32 {
				return [4]uint32{uint32(meta[i] >> 8), uint32(meta[i] & 0xff), uint32(rng.IntN(256)), uint32(rng.IntN(256))}
			})
		} else {
			bw.Write(0, 1)
		}
	}
	groups := make([]group, nGroups)
	for i := range groups {
		g := &groups[i]
		if literal != nil {
			g[0] = normalCode(rng, 280, symbols(0, 256))
			for j := 1; j < 4; j++ {
				g[j] = normalCode(rng, 256, symbols(0, 256))
			}
			g[4] = normalCode(rng, 40, symbols(0, 40))
		} else {
			g[0] = wr.greenCode(cacheBits, rng.IntN(4) != 0)
			for j := 1; j < 4; j++ {
				g[j] = wr.channelCode()
			}
			g[4] = wr.distanceCode()
		}
		for j := range g {
			g[j].write(rng, bw)
		}
	}
	groupAt := func(p int) *group {
		if metaBits == 0 {
			return &groups[0]
		}
		x, y := p%w, p/w
		return &groups[meta[(y>>metaBits)*nTiles(w, uint32(metaBits))+x>>metaBits]]
	}
	literalAt := func(g *group, p int) {
		var v [4]uint32
		if literal != nil {
			v = literal(p)
		} else {
			v = [4]uint32{g[1].pick(rng), g[0].pick(rng), g[2].pick(rng), g[3].pick(rng)}
			for v[1] >= 256 {
				v[1] = g[0].pick(rng)
			}
		}
		g[0].put(bw, v[1])
		g[1].put(bw, v[0])
		g[2].put(bw, v[2])
		g[3].put(bw, v[3])
	}
	hasLength := func(g *group) bool {
		for _, s := range g[0].usable {
			if s >= 256 && s < 280 {
				return true
			}
		}
		return false
	}
	var caches []uint32
	for p := 0; p < w*h; {
		g := groupAt(p)
		caches = caches[:0]
		for _, s := range g[0].usable {
			if s >= 280 {
				caches = append(caches, s)
			}
		}
		if literal == nil && len(g[0].usable) > 1 && hasLength(g) && p > 0 && rng.IntN(3) == 0 {
			// A LZ77 reference: a plane code or a plain distance, a short
			// or a long length.
			var dist, dc int
			for range 10 {
				if rng.IntN(2) == 0 {
					dc = 1 + rng.IntN(120)
				} else {
					dc = 121 + rng.IntN(p)
				}
				if dist = planeDistance(w, dc); dist <= p {
					break
				}
				dist = 0
			}
			if dist > 0 {
				left := w*h - p
				length := 1 + rng.IntN(min(left, 8))
				if rng.IntN(4) == 0 {
					length = 1 + rng.IntN(min(left, 4096))
				}
				ls, lb, le := prefix(length)
				ds, db, de := prefix(dc)
				if contains(g[4].usable, ds) || len(g[4].usable) == 1 && g[4].usable[0] == ds {
					g[0].put(bw, 256+ls)
					bw.Write(le, lb)
					g[4].put(bw, ds)
					bw.Write(de, db)
					p += length
					continue
				}
				if len(g[4].usable) == 1 {
					// The distance code has one symbol: use it.
					ds = g[4].usable[0]
					dc, db, de = lz77Inverse(ds)
					if dist = planeDistance(w, dc); dist <= p {
						g[0].put(bw, 256+ls)
						bw.Write(le, lb)
						bw.Write(de, db)
						p += length
						continue
					}
				}
			}
		}
		if literal == nil && len(caches) > 0 && rng.IntN(4) == 0 {
			g[0].put(bw, caches[rng.IntN(len(caches))])
			p++
			continue
		}
		literalAt(g, p)
		p++
	}
}

// lz77Inverse returns the smallest value of prefix symbol s, as a distance
// code, and its extra bits (all zero).
func lz77Inverse(s uint32) (dc int, extraBits uint, extra uint32) {
	if s < 4 {
		return int(s) + 1, 0, 0
	}
	eb := uint(s-2) >> 1
	return int((2+s&1)<<eb) + 1, eb, 0
}

func contains(s []uint32, v uint32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// stream writes a whole random stream of an image w x h with the given
// transforms (in stream order: 0 predictor, 1 cross colour, 2 subtract
// green, 3 colour indexing), and returns its VP8L payload.
func (wr *writer) stream(w, h int, transforms []int) []byte {
	rng, bw := wr.rng, &wr.w
	bw.Write(0x2f, 8)
	bw.Write(uint32(w-1), 14)
	bw.Write(uint32(h-1), 14)
	bw.Write(uint32(rng.IntN(2)), 1)
	bw.Write(0, 3)
	width := w
	for _, t := range transforms {
		bw.Write(1, 1)
		bw.Write(uint32(t), 2)
		switch t {
		case transformTypePredictor, transformTypeCrossColor:
			tb := 2 + rng.IntN(4)
			bw.Write(uint32(tb-2), 3)
			maxMode := 16
			if wr.noCorners {
				maxMode = 14
			}
			wr.image(nTiles(width, uint32(tb)), nTiles(h, uint32(tb)), false, func(int) [4]uint32 {
				mode := uint32(rng.IntN(maxMode))
				if t == transformTypePredictor && mode >= 14 {
					wr.libwebpOnly = true
				}
				return [4]uint32{uint32(rng.IntN(256)), mode | uint32(rng.IntN(16))<<4, uint32(rng.IntN(256)), uint32(rng.IntN(256))}
			})
		case transformTypeColorIndexing:
			n := []int{1, 2, 3, 4, 5, 16, 17, 200, 256}[rng.IntN(9)]
			bw.Write(uint32(n-1), 8)
			wr.image(n, 1, false, func(int) [4]uint32 {
				return [4]uint32{uint32(rng.IntN(256)), uint32(rng.IntN(256)), uint32(rng.IntN(256)), uint32(rng.IntN(256))}
			})
			bitsPer := uint32(0)
			switch {
			case n <= 2:
				bitsPer = 3
			case n <= 4:
				bitsPer = 2
			case n <= 16:
				bitsPer = 1
			}
			width = nTiles(width, bitsPer)
		}
	}
	bw.Write(0, 1)
	wr.image(width, h, true, nil)
	return bw.Flush()
}

// constantStream is a stream of an image w x h of one colour whose codes
// each have a single symbol, so the pixels take no bits at all: 30 bytes
// for any size.
func constantStream(w, h int, r, g, b, a uint32) []byte {
	bw := &BitWriter{}
	bw.Write(0x2f, 8)
	bw.Write(uint32(w-1), 14)
	bw.Write(uint32(h-1), 14)
	bw.Write(1, 1)
	bw.Write(0, 3)
	bw.Write(0, 1) // no transform
	bw.Write(0, 1) // no colour cache
	bw.Write(0, 1) // one group
	for _, s := range []uint32{g, r, b, a, 0} {
		bw.Write(1, 1) // simple code
		bw.Write(0, 1) // of one symbol
		bw.Write(1, 1) // of 8 bits
		bw.Write(s, 8)
	}
	return bw.Flush()
}
