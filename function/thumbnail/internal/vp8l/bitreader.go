// Copyright 2014 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package vp8l

import "encoding/binary"

// bitReader reads a VP8L bitstream, least significant bit first, from a
// byte slice through a 64-bit buffer refilled eight bytes at a time. Past
// the end of the data it supplies zero bits and counts them in pad, so that
// callers need not check every read: the stream was overrun, which is an
// error, exactly when a bit of that padding has been consumed.
type bitReader struct {
	in  []byte
	ip  int    // next byte of in to load
	bb  uint64 // buffered bits, the next one lowest
	nb  uint   // bits in bb
	pad uint   // zero bits ever loaded past the end of in
}

// refill loads bytes until at least 56 bits are buffered.
func (r *bitReader) refill() {
	r.bb, r.nb, r.ip, r.pad = refill(r.in, r.ip, r.bb, r.nb, r.pad)
}

// refill is bitReader.refill on values a caller keeps in registers.
func refill(in []byte, ip int, bb uint64, nb, pad uint) (uint64, uint, int, uint) {
	if ip+8 <= len(in) {
		bb |= binary.LittleEndian.Uint64(in[ip:]) << nb
		ip += int((63 - nb) >> 3)
		return bb, nb | 56, ip, pad
	}
	return refillEnd(in, ip, bb, nb, pad)
}

// refillEnd refills byte by byte near the end of the data, and with zero
// bits past it. Kept out of line so that refill's fast path inlines.
//
//go:noinline
func refillEnd(in []byte, ip int, bb uint64, nb, pad uint) (uint64, uint, int, uint) {
	for nb <= 56 {
		if ip < len(in) {
			bb |= uint64(in[ip]) << nb
			ip++
		} else {
			pad += 8
		}
		nb += 8
	}
	return bb, nb, ip, pad
}

// read returns the next n bits, n <= 32.
func (r *bitReader) read(n uint) uint32 {
	if r.nb < n {
		r.refill()
	}
	v := uint32(r.bb & (1<<n - 1))
	r.bb >>= n
	r.nb -= n
	return v
}

// overrun reports whether more bits have been consumed than the data holds.
func (r *bitReader) overrun() bool { return r.nb < r.pad }
