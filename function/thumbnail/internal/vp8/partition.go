// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package vp8

// Each VP8 frame consists of between 2 and 9 bitstream partitions.
// Each partition is byte-aligned and is independently arithmetic-encoded.
//
// This file implements decoding a partition's bitstream, as specified in
// chapter 7, the way libwebp's VP8BitReader does: the encoded value sits in
// a 64-bit word refilled seven bytes at a time, and the range is
// renormalised after every bit without a branch.

import (
	"encoding/binary"
	"math/bits"
)

// uniformProb represents a 50% probability that the next bit is 0.
const uniformProb = 128

// partition holds arithmetic-coded bits.
type partition struct {
	// buf is the input bytes, and pos how many of them have been loaded.
	buf []byte
	pos int
	// value holds the bits loaded and not yet consumed. The arithmetic
	// decoder's 8-bit window is value >> nBits: nBits is how many loaded
	// bits lie below the window, negative when it needs more bits.
	value uint64
	nBits int
	// rangeM1 is range minus 1, where range is in the arithmetic coding
	// sense, not the Go language sense. It is in [127, 254].
	rangeM1 uint32
	// compat is set for a partition whose first byte is 0xff, which no
	// encoder writes (see readBitCompat).
	compat bool
}

// eof tells whether a bit was read past the end of buf: whether the window
// needed a byte that buf does not have, the condition on which x/image's
// reader sets its unexpectedEOF. Zero bits are read instead, and pos is
// set past the end.
func (p *partition) eof() bool {
	return p.pos > len(p.buf)
}

// init initializes the partition.
func (p *partition) init(buf []byte) {
	*p = partition{buf: buf, nBits: -8, rangeM1: 254}
	if len(buf) > 0 && buf[0] == 0xff {
		*p = partition{buf: buf, rangeM1: 254, compat: true}
	}
}

// load loads more bits into value, nBits being negative.
func (p *partition) load() {
	p.value, p.nBits = p.fill(p.value, p.nBits)
}

// fill is partition.load on values a caller keeps in registers: it loads
// seven bytes when eight are left (the eighth is read, not consumed), else
// one byte, else a zero byte, past the end.
func (p *partition) fill(value uint64, nBits int) (uint64, int) {
	if pos := p.pos; pos >= 0 && pos+8 <= len(p.buf) {
		p.pos = pos + 7
		return value<<56 | binary.BigEndian.Uint64(p.buf[pos:])>>8, nBits + 56
	}
	return p.fillEnd(value, nBits)
}

// fillEnd loads one byte near the end of the data. Kept out of line so
// that fill's fast path stays small.
//
//go:noinline
func (p *partition) fillEnd(value uint64, nBits int) (uint64, int) {
	if p.pos < len(p.buf) {
		p.pos++
		return value<<8 | uint64(p.buf[p.pos-1]), nBits + 8
	}
	p.pos = len(p.buf) + 1
	return value << 8, nBits + 8
}

// renormShift and renormRangeM1 renormalise a range r in [1, 255]: shifted
// left by renormShift[r] it is in [128, 255], and renormRangeM1[r] is that,
// minus 1. Two loads that do not depend on each other were faster here
// (amd64) than counting leading zeros and shifting, on the path every bit
// waits for: 10% on noise.
var renormShift, renormRangeM1 = renormTables()

// renormTables computes renormShift and renormRangeM1.
func renormTables() (shift, rangeM1 [256]uint8) {
	for r := 1; r < 256; r++ {
		s := 8 - bits.Len(uint(r))
		shift[r], rangeM1[r] = uint8(s), uint8(r<<s-1)
	}
	return shift, rangeM1
}

// decodeBit decodes one bit whose probability of being 0 is prob/256, from
// the state (value, nBits, rangeM1) of a partition whose nBits is not
// negative, and returns the new state. The bit chooses the caller's path,
// so a branch on it costs nothing more; so does one that skips the
// renormalisation when the range needs none (the likelier outcome of a
// skewed probability, which crafted streams make every bit: measured 6%
// faster on them, and 3% on noise, than the tables alone).
func decodeBit(value uint64, nBits int, rangeM1 uint32, prob uint8) (uint64, int, uint32, bool) {
	n := uint(nBits) & 63 // nBits is in [0, 63]: no shift-range code
	split := (rangeM1 * uint32(prob)) >> 8
	r := split + 1 // the new range, in [1, 255]
	bit := uint32(value>>n) > split
	if bit {
		r = rangeM1 - split
		value -= uint64(split+1) << n
	}
	if r >= 128 {
		return value, nBits, r - 1, bit
	}
	return value, nBits - int(renormShift[uint8(r)]), uint32(renormRangeM1[uint8(r)]), bit
}

// decodeBitU is decodeBit without branches, for bits whose value is used
// as a number rather than to choose a path: signs and the extra bits of
// large coefficients, which are close to random and would make a branch
// mispredict half the time. It returns the bit as a mask: all ones for a
// 1, zero for a 0.
func decodeBitU(value uint64, nBits int, rangeM1 uint32, prob uint8) (uint64, int, uint32, uint32) {
	n := uint(nBits) & 63
	split := (rangeM1 * uint32(prob)) >> 8
	m := uint32(int32(split-uint32(value>>n)) >> 31) // all ones for a 1
	r := split + 1 + m&(rangeM1-2*split-1)           // rangeM1-split for a 1
	value -= uint64((split+1)&m) << n
	return value, nBits - int(renormShift[uint8(r)]), uint32(renormRangeM1[uint8(r)]), m
}

// readBit returns the next bit.
func (p *partition) readBit(prob uint8) bool {
	if p.compat {
		return p.readBitCompat(prob)
	}
	if p.nBits < 0 {
		p.load()
	}
	var bit bool
	p.value, p.nBits, p.rangeM1, bit = decodeBit(p.value, p.nBits, p.rangeM1, prob)
	return bit
}

// readBitCompat is x/image's readBit, for partitions whose first byte is
// 0xff. The decoder's window (the next 8 bits) must be less than the range,
// which is 255 at the start: every encoder's output starts with a byte
// below 0xff, and the window then stays below the range. A first byte of
// 0xff breaks that, and the window keeps growing bits above its 8, which
// x/image's 32-bit register holds 24 of and this package's 64-bit one
// more: the two would decode such a partition into different garbage. So
// that the verdicts and pixels stay x/image's on any input, such a
// partition is decoded as x/image decodes it: value holds x/image's bits,
// nBits its nBits, pos its count of bytes read (past the end, len(buf)+1,
// once it has read past the end).
func (p *partition) readBitCompat(prob uint8) bool {
	if p.nBits < 8 {
		if p.pos >= len(p.buf) {
			p.pos = len(p.buf) + 1
			return false
		}
		p.value |= uint64(uint32(p.buf[p.pos]) << (8 - uint(p.nBits)))
		p.pos++
		p.nBits += 8
	}
	bits := uint32(p.value)
	split := (p.rangeM1*uint32(prob))>>8 + 1
	bit := bits >= split<<8
	if bit {
		p.rangeM1 -= split
		bits -= split << 8
	} else {
		p.rangeM1 = split - 1
	}
	if p.rangeM1 < 127 {
		shift := renormShift[p.rangeM1+1]
		p.rangeM1 = uint32(renormRangeM1[p.rangeM1+1])
		bits <<= shift
		p.nBits -= int(shift)
	}
	p.value = uint64(bits)
	return bit
}

// readUint returns the next n-bit unsigned integer.
func (p *partition) readUint(prob, n uint8) uint32 {
	var u uint32
	for n > 0 {
		n--
		if p.readBit(prob) {
			u |= 1 << n
		}
	}
	return u
}

// readInt returns the next n-bit signed integer.
func (p *partition) readInt(prob, n uint8) int32 {
	u := p.readUint(prob, n)
	b := p.readBit(prob)
	if b {
		return -int32(u)
	}
	return int32(u)
}

// readOptionalInt returns the next n-bit signed integer in an encoding
// where the likely result is zero.
func (p *partition) readOptionalInt(prob, n uint8) int32 {
	if !p.readBit(prob) {
		return 0
	}
	return p.readInt(prob, n)
}
