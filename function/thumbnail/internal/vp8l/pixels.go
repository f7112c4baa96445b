// Copyright 2014 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package vp8l

import (
	"errors"
	"io"
)

var errInvalidCacheIndex = errors.New("vp8l: invalid color cache index")

// lz77Value returns a LZ77 length or distance from its prefix symbol,
// section 4.2.2: the symbol names a range, extra bits the value within it.
// bb must hold the extra bits (at most 18); n is how many were used.
func lz77Value(symbol uint32, bb uint64) (value uint32, n uint) {
	if symbol < 4 {
		return symbol + 1, 0
	}
	extra := uint(symbol-2) >> 1
	offset := (2 + symbol&1) << extra
	return offset + uint32(bb&(1<<extra-1)) + 1, extra
}

// decodePix decodes the entropy-coded pixels of an image w x h, section
// 5.2.2: the main image (topLevel) or one of the small images transforms
// and the Huffman group map are stored as.
func (d *decoder) decodePix(w, h int, topLevel bool) ([]uint32, error) {
	br := &d.br
	ccBits := uint32(0)
	if br.read(1) != 0 {
		ccBits = br.read(4)
		if ccBits < 1 || ccBits > maxCacheBits {
			return nil, errInvalidColorCache
		}
	}
	groups, meta, metaBits, err := d.decodeHuffmanGroups(w, h, topLevel, ccBits)
	if err != nil {
		return nil, err
	}
	var cache []uint32
	ccShift := 32 - ccBits
	if ccBits > 0 {
		cache = make([]uint32, 1<<ccBits)
	}
	pix := make([]uint32, w*h)

	metaMask, tilesPerRow := 0, 0
	if metaBits != 0 {
		metaMask, tilesPerRow = 1<<metaBits-1, nTiles(w, metaBits)
	}
	in, ip, bb, nb, pad := br.in, br.ip, br.bb, br.nb, br.pad
	p, cached, x, y := 0, 0, 0, 0
	g := &groups[0]
	green, red, blue, alpha, distance := g.trees[huffGreen], g.trees[huffRed], g.trees[huffBlue], g.trees[huffAlpha], g.trees[huffDistance]
	constant, trivialLiteral, alphaZeroBits := g.constant, g.trivialLiteral, g.alphaZeroBits
	lookup := metaBits != 0
	for p < len(pix) {
		if lookup {
			g = &groups[meta[tilesPerRow*(y>>metaBits)+x>>metaBits]]
			green, red, blue, alpha, distance = g.trees[huffGreen], g.trees[huffRed], g.trees[huffBlue], g.trees[huffAlpha], g.trees[huffDistance]
			constant, trivialLiteral, alphaZeroBits = g.constant, g.trivialLiteral, g.alphaZeroBits
		}
		if constant {
			// Codes that take no bits: the pixels up to where the group
			// may change (the tile's or the row's end) are all the same.
			run := len(pix) - p
			if metaBits != 0 {
				run = min(metaMask+1-x&metaMask, w-x)
			}
			v := g.literalRBA
			s := pix[p : p+run]
			for i := range s {
				s[i] = v
			}
			p += run
			x += run
			if x >= w {
				y += x / w
				x %= w
			}
			continue
		}
		// Refilled here and once more within a pixel, the buffer always
		// holds the bits of the next two codes (15 bits each) or of a
		// distance code and its extra bits (15 + 18).
		if nb < 32 {
			bb, nb, ip, pad = refill(in, ip, bb, nb, pad)
		}
		gs, n := symbolOf(green, bb)
		bb >>= n
		nb -= n
		switch {
		case gs < nLiteralCodes:
			if trivialLiteral {
				pix[p] = g.literalRBA | gs<<8
			} else if alphaZeroBits {
				r, n := symbolOf(red, bb)
				bb >>= n
				nb -= n
				if nb < 15 {
					bb, nb, ip, pad = refill(in, ip, bb, nb, pad)
				}
				b, n := symbolOf(blue, bb)
				bb >>= n
				nb -= n
				pix[p] = pixel(r, gs, b, 0) | g.alphaBits
			} else {
				r, n := symbolOf(red, bb)
				bb >>= n
				nb -= n
				if nb < 32 {
					bb, nb, ip, pad = refill(in, ip, bb, nb, pad)
				}
				b, n := symbolOf(blue, bb)
				bb >>= n
				nb -= n
				a, n := symbolOf(alpha, bb)
				bb >>= n
				nb -= n
				pix[p] = pixel(r, gs, b, a)
			}
			p++
			x++
			lookup = metaBits != 0 && x&metaMask == 0

		case gs < nLiteralCodes+nLengthCodes:
			// A LZ77 backwards reference.
			length, n := lz77Value(gs-nLiteralCodes, bb)
			bb >>= n
			nb -= n
			if nb < 33 {
				bb, nb, ip, pad = refill(in, ip, bb, nb, pad)
			}
			distSymbol, n := symbolOf(distance, bb)
			bb >>= n
			nb -= n
			distCode, n := lz77Value(distSymbol, bb)
			bb >>= n
			nb -= n
			dist := distanceMap(w, distCode)
			q, end := p-dist, p+int(length)
			if q < 0 || end > len(pix) {
				err = errInvalidLZ77
				break
			}
			_ = 0
			if dist >= int(length) {
				copy(pix[p:end], pix[q:])
			} else if dist == 1 {
				v, s := pix[q], pix[p:end]
				for i := range s {
					s[i] = v
				}
			} else {
				s, src := pix[p:end], pix[q:end-dist]
				for i := range s {
					s[i] = src[i]
				}
			}
			p = end
			x += int(length)
			if x >= w {
				y += x / w
				x %= w
			}
			lookup = metaBits != 0

		default:
			// A colour cache lookup: first add the pixels decoded since
			// the last lookup to the cache, then read it.
			for ; cached < p; cached++ {
				v := pix[cached]
				cache[(toARGB(v)*colorCacheMultiplier)>>ccShift] = v
			}
			key := int(gs - nLiteralCodes - nLengthCodes)
			if key >= len(cache) {
				err = errInvalidCacheIndex
				break
			}
			pix[p] = cache[key]
			p++
			x++
			lookup = metaBits != 0 && x&metaMask == 0
		}
		if err != nil {
			break
		}
		if x == w {
			x = 0
			y++
			lookup = metaBits != 0
			if nb < pad {
				// Past the end of the data: the rest would be decoded
				// from padding.
				err = io.ErrUnexpectedEOF
				break
			}
		}
	}
	br.ip, br.bb, br.nb, br.pad = ip, bb, nb, pad
	if err != nil {
		return nil, err
	}
	return pix, nil
}
