package scaledjpeg

import "encoding/binary"

// bitReader reads the entropy-coded data of one scan: bits most significant
// first, with the 0xFF 0x00 byte stuffing removed. It never reads past a
// marker: once it meets one (or the end of the data) it supplies zero bits,
// as libjpeg does, and counts them, so the decoder can tell (exhausted) when
// a scan has used bits the file does not hold and stop there instead of
// decoding endless zeros.
//
// It is written here rather than taken from a library because the only Go
// JPEG decoders with a public bit reader decode every coefficient; this one
// is tuned for skipping AC coefficients, which is most of the work at 1/8
// scale.
type bitReader struct {
	data []byte
	pos  int    // next byte of data to load into acc
	acc  uint64 // pending bits, the next one in the most significant bit
	n    uint   // how many bits of acc are valid
	// pad counts the zero bits supplied past the data: the last pad of
	// the n valid bits are not the file's.
	pad uint
}

// reset starts reading entropy-coded data at data[pos].
func (b *bitReader) reset(data []byte, pos int) {
	*b = bitReader{data: data, pos: pos}
}

// hasFF reports whether any byte of w is 0xFF.
func hasFF(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	x := ^w
	return (x-lo)&^x&hi != 0
}

// fill loads bytes until at least 57 bits are valid.
//
// The fast path loads eight bytes at once when none of them is 0xFF. It also
// leaves the leading bits of the next byte below the valid bits; a later load
// ORs the same byte into the same place, so those bits are never wrong.
func (b *bitReader) fill() {
	if b.pos+8 <= len(b.data) {
		w := binary.BigEndian.Uint64(b.data[b.pos:])
		if !hasFF(w) {
			b.acc |= w >> b.n
			k := (64 - b.n) >> 3
			b.pos += int(k)
			b.n += k << 3
			return
		}
	}
	for b.n <= 56 {
		if b.pos >= len(b.data) {
			b.padTo64() // end of data: zero bits
			return
		}
		c := b.data[b.pos]
		if c == 0xFF {
			if b.pos+1 >= len(b.data) || b.data[b.pos+1] != 0x00 {
				b.padTo64() // a marker: zero bits
				return
			}
			b.pos += 2
		} else {
			b.pos++
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// padTo64 makes all 64 bits of acc valid by supplying zero bits past the data.
func (b *bitReader) padTo64() {
	b.pad += 64 - b.n
	b.n = 64
}

// exhausted reports whether bits past the data have been consumed: the scan
// needed more entropy-coded data than the file holds.
func (b *bitReader) exhausted() bool {
	return b.pad > b.n
}

// peek returns the next k bits (k <= 16) without consuming them.
func (b *bitReader) peek(k uint) uint32 {
	if b.n < k {
		b.fill()
	}
	return uint32(b.acc >> (64 - k))
}

// skip consumes k bits; they must have been peeked.
func (b *bitReader) skip(k uint) {
	b.acc <<= k
	b.n -= k
}

// receive consumes k bits (k <= 16) and returns them as an unsigned number.
func (b *bitReader) receive(k uint) int32 {
	if k == 0 {
		return 0
	}
	v := b.peek(k)
	b.skip(k)
	return int32(v)
}

// receiveExtend consumes k bits and sign-extends them as JPEG's EXTEND
// procedure (ITU T.81 F.2.2.1) does.
func (b *bitReader) receiveExtend(k uint) int32 {
	v := b.receive(k)
	if k > 0 && v < 1<<(k-1) {
		v += (-1 << k) + 1
	}
	return v
}
