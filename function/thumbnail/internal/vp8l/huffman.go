// Copyright 2014 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package vp8l

import "math/bits"

// Huffman codes are decoded by table lookup instead of walking a tree a bit
// at a time. A table starts with 1<<rootBits entries indexed by the next
// rootBits bits of the stream; codes longer than that go through a
// subtable that follows, indexed by the bits after the first rootBits.
//
// An entry packs:
//
//	bits 0-7   the code's whole length in bits (a root entry of a link: 0)
//	bits 8-11  for a link, the subtable's index bits
//	bit  15    link: the code is longer than rootBits
//	bits 16-31 the symbol, or for a link the subtable's start
const (
	rootBits = 8
	rootSize = 1 << rootBits
	linkFlag = 1 << 15
	// maxCodeLength is the longest code VP8L allows.
	maxCodeLength = 15
	// maxTableSize bounds a complete code's table: the root plus every
	// subtable. The largest alphabet (280 + 2048 colour cache codes) needs
	// at most 2704 entries with an 8-bit root (zlib's "enough" program).
	maxTableSize = 4096
	// maxAlphabet is the largest alphabet: green, length and colour cache codes.
	maxAlphabet = nLiteralCodes + nLengthCodes + 1<<maxCacheBits
)

// tableScratch is buildTable's working memory, reused from table to table.
type tableScratch struct {
	table [maxTableSize]uint32
	order [maxAlphabet]uint16
}

// symbolOf decodes the next symbol of table t from the buffered bits bb,
// which must hold at least maxCodeLength bits or the rest of the stream
// padded with zeros. It returns the symbol and the bits its code takes.
func symbolOf(t []uint32, bb uint64) (symbol uint32, n uint) {
	e := (*[rootSize]uint32)(t)[bb&(rootSize-1)]
	if e&linkFlag != 0 {
		e = t[e>>16+uint32(bb>>rootBits)&(1<<(e>>8&15)-1)]
	}
	return e >> 16, uint(e & 0xff)
}

// buildTable returns the lookup table of the canonical Huffman code with
// the given code lengths (index: symbol), in dst if it is large enough,
// else in a new slice of the table's size. As libwebp does, it accepts a code of one symbol, which
// then takes no bits whatever its declared length, and complete codes; it
// rejects no symbols at all, over-subscribed and incomplete codes.
func buildTable(dst []uint32, lengths []uint8, scratch *tableScratch) ([]uint32, bool) {
	var count [maxCodeLength + 1]int
	nSymbols, last := 0, 0
	for s, n := range lengths {
		if n != 0 {
			count[n]++
			nSymbols++
			last = s
		}
	}
	if nSymbols == 0 {
		return nil, false
	}
	if nSymbols == 1 {
		t := sized(dst, rootSize)
		e := uint32(last) << 16
		for i := range t {
			t[i] = e
		}
		return t, true
	}
	// The first code of each length; the code must fill its space exactly.
	var next [maxCodeLength + 1]int
	code, left := 0, 1
	for n := 1; n <= maxCodeLength; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
		left = left<<1 - count[n]
		if left < 0 {
			return nil, false
		}
	}
	if left != 0 {
		return nil, false
	}
	// Symbols in canonical order: by code length, then symbol.
	var offs [maxCodeLength + 2]int
	for n := 1; n <= maxCodeLength; n++ {
		offs[n+1] = offs[n] + count[n]
	}
	order := scratch.order[:nSymbols]
	for s, n := range lengths {
		if n != 0 {
			order[offs[n]] = uint16(s)
			offs[n]++
		}
	}
	table := scratch.table[:]
	remaining := count // codes of each length not yet placed
	size := rootSize
	subStart, subBits, subPrefix := rootSize, uint(0), -1
	{
		for _, sym := range order {
			s, n := int(sym), int(lengths[sym])
			c := next[n]
			next[n]++
			remaining[n]--
			rev := int(bits.Reverse16(uint16(c)) >> (16 - n))
			if n <= rootBits {
				e := uint32(s)<<16 | uint32(n)
				for i := rev; i < rootSize; i += 1 << n {
					table[i] = e
				}
				continue
			}
			prefix := rev & (rootSize - 1)
			if prefix != subPrefix {
				// A new subtable after the previous one, with as many index
				// bits as the codes sharing this prefix need: in canonical
				// order they are the ones placed next.
				if subPrefix >= 0 {
					subStart += 1 << subBits
				}
				subBits = uint(n) - rootBits
				used := remaining[n] + 1
				for used < 1<<subBits {
					if rootBits+subBits >= maxCodeLength {
						return nil, false
					}
					subBits++
					used = used<<1 + remaining[rootBits+subBits]
				}
				subPrefix = prefix
				if subStart+1<<subBits > len(table) {
					return nil, false
				}
				size = subStart + 1<<subBits
				table[prefix] = linkFlag | uint32(subBits)<<8 | uint32(subStart)<<16
			}
			e := uint32(s)<<16 | uint32(n)
			for i := rev >> rootBits; i < 1<<subBits; i += 1 << (n - rootBits) {
				table[subStart+i] = e
			}
		}
	}
	t := sized(dst, size)
	copy(t, table[:size])
	return t, true
}

// sized returns dst cut to n entries if it can hold them, else a new slice.
func sized(dst []uint32, n int) []uint32 {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]uint32, n)
}
