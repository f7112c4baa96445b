// Package inflate decompresses zlib and raw DEFLATE streams (RFC 1950, RFC
// 1951) whose compressed bytes are already in memory, possibly split into
// several pieces such as a PNG's IDAT chunks. It reads the pieces in place,
// without copying them into a stream, and decodes with a 64-bit bit buffer
// refilled eight bytes at a time and Huffman tables whose one lookup gives
// the symbol, its codeword length and its extra bits.
//
// Output goes through a fixed sliding window, so memory does not depend on
// the stream: a Reader holds about 200 KiB whatever it decompresses, and the
// caller bounds the output by how much it reads.
//
// It accepts and rejects the same streams as compress/flate and
// compress/zlib: over-subscribed and incomplete codes (but the one-codeword
// code of length 1), distances before the start of the output, symbols 286,
// 287, 30 and 31, truncated data and, for zlib, a bad header or checksum.
//
// compress/flate and klauspost/compress read from an io.Reader a byte or a
// word at a time; this package exists because the data is already in memory
// and inflating a large PNG is most of a thumbnail's time.
package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Source yields the compressed data piece by piece: each call returns the
// next piece (possibly empty), and io.EOF after the last one. Pieces must
// stay unchanged until the Reader is done with them.
type Source interface {
	Next() ([]byte, error)
}

// bytesSource yields one piece, then io.EOF.
type bytesSource struct {
	b    []byte
	done bool
}

// Next implements Source.
func (s *bytesSource) Next() ([]byte, error) {
	if s.done {
		return nil, io.EOF
	}
	s.done = true
	return s.b, nil
}

// ErrChecksum is returned when a zlib stream's Adler-32 does not match.
var ErrChecksum = errors.New("zlib: invalid checksum")

// ErrHeader is returned for an invalid zlib header.
var ErrHeader = errors.New("zlib: invalid header")

// CorruptError reports invalid DEFLATE data.
type CorruptError struct{ Reason string }

// Error implements error.
func (e CorruptError) Error() string { return "inflate: corrupt data: " + e.Reason }

func corrupt(format string, args ...any) error {
	return CorruptError{fmt.Sprintf(format, args...)}
}

const (
	windowSize = 1 << 15
	// outChunk is how much output is produced between window slides.
	outChunk = 1 << 17
	// slack lets a match be copied eight bytes at a time past its end.
	maxMatch = 258
	slack    = maxMatch + 8
)

// Decoder states between calls to fill.
const (
	stateZlibHeader = iota
	stateBlockHeader
	stateHuffman
	stateStored
	stateTrailer
	stateDone
)

// Reader decompresses one stream at a time; Reset starts the next. The
// zero Reader is not usable; make one with NewReader.
type Reader struct {
	src     Source
	srcDone bool
	in      []byte // current piece
	ip      int    // next byte of in to load
	bb      uint64 // bit buffer: the low nb bits are the next input bits
	nb      uint
	overrun int // zero bytes loaded past the end of the input

	out    []byte // sliding window plus output not yet read
	op, rp int    // write and read positions in out

	state      int
	final      bool // the current block is the last
	storedLeft int
	zlib       bool
	adler      uint32 // Adler-32 of out[:hp] and the output slid away
	hp         int
	err        error

	lit  [litTableSize]uint32
	dist [distTableSize]uint32
	clen [clenTableSize]uint32
	lens [286 + 32]uint8
}

// NewReader returns a Reader of the zlib stream in src, or of the raw
// DEFLATE stream when zlib is false.
func NewReader(src Source, zlib bool) *Reader {
	r := &Reader{out: make([]byte, windowSize+outChunk+slack)}
	r.Reset(src, zlib)
	return r
}

// Reset makes r read a new stream, keeping its memory.
func (r *Reader) Reset(src Source, zlib bool) {
	*r = Reader{src: src, out: r.out, adler: 1, zlib: zlib, state: stateBlockHeader}
	if zlib {
		r.state = stateZlibHeader
	}
}

// NewBytesSource returns a Source of the single piece b.
func NewBytesSource(b []byte) Source { return &bytesSource{b: b} }

// Read implements io.Reader: it returns decompressed bytes, then io.EOF at
// the end of the stream (for zlib, once the checksum has matched), or the
// error that stopped decoding.
func (r *Reader) Read(p []byte) (int, error) {
	for r.rp == r.op {
		if r.err != nil {
			return 0, r.err
		}
		if r.state == stateDone {
			return 0, io.EOF
		}
		if r.op > len(r.out)-slack {
			// Keep the last window of output, the furthest a distance reaches.
			copy(r.out, r.out[r.op-windowSize:r.op])
			r.op, r.rp, r.hp = windowSize, windowSize, windowSize
		}
		r.err = r.fill()
		r.hashOutput()
	}
	n := copy(p, r.out[r.rp:r.op])
	r.rp += n
	return n, nil
}

// hashOutput adds the output not hashed yet to the zlib checksum.
func (r *Reader) hashOutput() {
	if r.zlib && r.hp < r.op {
		r.adler = adlerUpdate(r.adler, r.out[r.hp:r.op])
	}
	r.hp = r.op
}

// nextPiece moves to the next non-empty piece of input; false at the end.
func (r *Reader) nextPiece() (bool, error) {
	for !r.srcDone {
		b, err := r.src.Next()
		if err == io.EOF {
			r.srcDone = true
			break
		}
		if err != nil {
			return false, err
		}
		if len(b) > 0 {
			r.in, r.ip = b, 0
			return true, nil
		}
	}
	return false, nil
}

// refillSlow loads input a byte at a time until the bit buffer holds at
// least 57 bits, crossing pieces, and zero bytes past the end of the input.
// Decoding into those zero bytes is an unexpected end of data, found at the
// next refill or at the end of the stream.
func (r *Reader) refillSlow() error {
	if r.overrun*8 > int(r.nb) {
		return io.ErrUnexpectedEOF
	}
	for r.nb <= 56 {
		if r.ip == len(r.in) {
			ok, err := r.nextPiece()
			if err != nil {
				return err
			}
			if !ok {
				r.overrun++
				r.bb &= 1<<r.nb - 1
				r.nb += 8
				continue
			}
		}
		r.bb |= uint64(r.in[r.ip]) << r.nb
		r.ip++
		r.nb += 8
	}
	return nil
}

// bits returns the next n (at most 32) bits, consuming them.
func (r *Reader) bits(n uint) (uint32, error) {
	if r.nb < n {
		if err := r.refillSlow(); err != nil {
			return 0, err
		}
	}
	v := uint32(r.bb & (1<<n - 1))
	r.bb >>= n
	r.nb -= n
	return v, nil
}

// alignedBytes returns the next n bytes after dropping the bits up to a
// byte boundary, from the bit buffer then the input; n is at most 4.
func (r *Reader) alignedBytes(n int) (uint32, error) {
	r.dropToByte()
	var v uint32
	for i := range n {
		b, err := r.nextByte()
		if err != nil {
			return 0, err
		}
		v |= uint32(b) << (8 * i)
	}
	return v, nil
}

// dropToByte drops the bits up to the next byte boundary.
func (r *Reader) dropToByte() {
	r.bb >>= r.nb & 7
	r.nb &^= 7
}

// nextByte returns the next byte at a byte boundary, from the bit buffer
// first.
func (r *Reader) nextByte() (byte, error) {
	if r.nb >= 8 {
		if r.overrun*8 > int(r.nb)-8 {
			return 0, io.ErrUnexpectedEOF
		}
		b := byte(r.bb)
		r.bb >>= 8
		r.nb -= 8
		return b, nil
	}
	if r.ip == len(r.in) {
		ok, err := r.nextPiece()
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, io.ErrUnexpectedEOF
		}
	}
	b := r.in[r.ip]
	r.ip++
	return b, nil
}

// fill decodes until the window has no room for another match or the
// stream ends.
func (r *Reader) fill() error {
	for r.op <= len(r.out)-slack {
		switch r.state {
		case stateZlibHeader:
			h, err := r.alignedBytes(2)
			if err != nil {
				return err
			}
			cmf, flg := h&0xff, h>>8
			if cmf&0x0f != 8 || cmf>>4 > 7 || (cmf<<8|flg)%31 != 0 || flg&0x20 != 0 {
				return ErrHeader
			}
			r.state = stateBlockHeader
		case stateBlockHeader:
			if r.final {
				r.state = stateTrailer
				continue
			}
			h, err := r.bits(3)
			if err != nil {
				return err
			}
			r.final = h&1 != 0
			switch h >> 1 {
			case 0:
				n, err := r.alignedBytes(4)
				if err != nil {
					return err
				}
				if uint16(n) != ^uint16(n>>16) {
					return corrupt("stored block length %d with complement %d", uint16(n), n>>16)
				}
				r.storedLeft = int(n & 0xffff)
				r.state = stateStored
			case 1:
				r.fixedTables()
				r.state = stateHuffman
			case 2:
				if err := r.readDynamicTables(); err != nil {
					return err
				}
				r.state = stateHuffman
			default:
				return corrupt("block type 3")
			}
		case stateStored:
			if err := r.copyStored(); err != nil {
				return err
			}
		case stateHuffman:
			if err := r.decodeHuffman(); err != nil {
				return err
			}
		case stateTrailer:
			if r.overrun*8 > int(r.nb) {
				return io.ErrUnexpectedEOF
			}
			if r.zlib {
				sum, err := r.alignedBytes(4)
				if err != nil {
					return err
				}
				sum = sum>>24 | sum>>8&0xff00 | sum<<8&0xff0000 | sum<<24
				r.hashOutput()
				if sum != r.adler {
					return ErrChecksum
				}
			}
			r.state = stateDone
			return nil
		case stateDone:
			return nil
		}
	}
	return nil
}

// copyStored copies as much of a stored block as the window has room for.
func (r *Reader) copyStored() error {
	for r.storedLeft > 0 && r.op < len(r.out) {
		if r.nb >= 8 {
			b, err := r.nextByte()
			if err != nil {
				return err
			}
			r.out[r.op] = b
			r.op++
			r.storedLeft--
			continue
		}
		r.bb, r.nb = 0, 0
		if r.ip == len(r.in) {
			ok, err := r.nextPiece()
			if err != nil {
				return err
			}
			if !ok {
				return io.ErrUnexpectedEOF
			}
		}
		n := copy(r.out[r.op:min(r.op+r.storedLeft, len(r.out))], r.in[r.ip:])
		r.op += n
		r.ip += n
		r.storedLeft -= n
	}
	if r.storedLeft == 0 {
		r.state = stateBlockHeader
	}
	return nil
}

// fixedTables builds the tables of the fixed code, RFC 1951 section 3.2.6.
func (r *Reader) fixedTables() {
	l := r.lens[:288]
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	buildTable(r.lit[:], l, litBits, litEntry)
	d := r.lens[:32]
	for i := range d {
		d[i] = 5
	}
	buildTable(r.dist[:], d, distBits, distKindEntry)
}

// distKindEntry is distEntry marked valid.
func distKindEntry(sym int) uint32 {
	if e := distEntry(sym); e != 0 {
		return e | distKind
	}
	return 0
}

// clenOrder is the order code length code lengths are sent in.
var clenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// readDynamicTables reads a dynamic block's codes, RFC 1951 section 3.2.7.
func (r *Reader) readDynamicTables() error {
	h, err := r.bits(14)
	if err != nil {
		return err
	}
	nlit, ndist, nclen := int(h&31)+257, int(h>>5&31)+1, int(h>>10)+4
	if nlit > 286 || ndist > 30 {
		return corrupt("%d literal/length and %d distance codes", nlit, ndist)
	}
	var cl [19]uint8
	for i := range nclen {
		v, err := r.bits(3)
		if err != nil {
			return err
		}
		cl[clenOrder[i]] = uint8(v)
	}
	if !buildTable(r.clen[:], cl[:], clenBits, clenEntry) {
		return corrupt("invalid code length code")
	}
	lens := r.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		if r.nb < 15 {
			if err := r.refillSlow(); err != nil {
				return err
			}
		}
		e := r.clen[r.bb&(clenTableSize-1)]
		if e&kindMask == 0 {
			return corrupt("invalid code length codeword")
		}
		n := e & 63 // a codeword length; the mask lets the shift compile to one instruction
		r.bb >>= n
		r.nb -= uint(n)
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return corrupt("repeat of no code length")
			}
			x, _ := r.bits(2)
			rep, v = 3+int(x), lens[i-1]
		case 17:
			x, _ := r.bits(3)
			rep = 3 + int(x)
		default:
			x, _ := r.bits(7)
			rep = 11 + int(x)
		}
		if i+rep > len(lens) {
			return corrupt("code lengths overflow")
		}
		for range rep {
			lens[i] = v
			i++
		}
	}
	if !buildTable(r.lit[:], lens[:nlit], litBits, litEntry) {
		return corrupt("invalid literal/length code")
	}
	if !buildTable(r.dist[:], lens[nlit:], distBits, distKindEntry) {
		return corrupt("invalid distance code")
	}
	return nil
}

// clenEntry is the entry for code length symbol sym.
func clenEntry(sym int) uint32 { return kindLiteral | uint32(sym)<<16 }

// decodeHuffman decodes a Huffman block until its end or until the window
// has no room for another match. The loop keeps its state in locals and
// refills the bit buffer to at least 56 bits when fewer than 32 remain
// (a literal/length codeword and its extra bits take at most 20) and again
// before a distance when fewer than 28 remain (a codeword and its extra bits
// take at most 28), so several literals share one refill.
func (r *Reader) decodeHuffman() error {
	bb, nb := r.bb, r.nb
	in, ip := r.in, r.ip
	out, op := r.out, r.op
	lit, dist := &r.lit, &r.dist
	limit := len(out) - slack
	var err error
	for op <= limit {
		if ip+16 <= len(in) {
			var status int
			bb, nb, ip, op, status = decodeFast(bb, nb, in, ip, out, op, lit, dist)
			switch status {
			case fastEnd:
				r.state = stateBlockHeader
			case fastBadLiteral:
				err = corrupt("invalid literal/length codeword")
			case fastBadDistance:
				err = corrupt("invalid distance codeword")
			case fastFar:
				err = corrupt("distance before the start of the output")
			}
			if status != fastMore {
				break
			}
			if op > limit {
				break
			}
		}
		if nb < 32 {
			if ip+8 <= len(in) {
				bb |= binary.LittleEndian.Uint64(in[ip:]) << nb
				ip += int((63 - nb) >> 3)
				nb |= 56
			} else {
				r.bb, r.nb, r.ip = bb, nb, ip
				if err = r.refillSlow(); err != nil {
					break
				}
				bb, nb, in, ip = r.bb, r.nb, r.in, r.ip
			}
		}
		e := lit[bb&(1<<litBits-1)]
		if e&kindLink != 0 {
			bb >>= litBits
			nb -= litBits
			e = lit[(e>>16+uint32(bb)&(1<<(e>>8&15)-1))&(litTableSize-1)]
		}
		n := e & 63 // a codeword length; the mask lets the shift compile to one instruction
		bb >>= n
		nb -= uint(n)
		if e&kindLiteral != 0 {
			out[op] = byte(e >> 16)
			op++
			continue
		}
		if e&kindLength == 0 {
			if e&kindEnd != 0 {
				r.state = stateBlockHeader
				break
			}
			err = corrupt("invalid literal/length codeword")
			break
		}
		x := uint(e >> 8 & 15)
		length := int(e>>16) + int(bb&(1<<x-1))
		bb >>= x
		nb -= x
		if nb < 28 { // a distance codeword and its extra bits
			if ip+8 <= len(in) {
				bb |= binary.LittleEndian.Uint64(in[ip:]) << nb
				ip += int((63 - nb) >> 3)
				nb |= 56
			} else {
				r.bb, r.nb, r.ip = bb, nb, ip
				if err = r.refillSlow(); err != nil {
					break
				}
				bb, nb, in, ip = r.bb, r.nb, r.in, r.ip
			}
		}
		e = dist[bb&(1<<distBits-1)]
		if e&kindLink != 0 {
			bb >>= distBits
			nb -= distBits
			e = dist[(e>>16+uint32(bb)&(1<<(e>>8&15)-1))&(distTableSize-1)]
		}
		if e&distKind == 0 {
			err = corrupt("invalid distance codeword")
			break
		}
		n = e & 63
		bb >>= n
		nb -= uint(n)
		x = uint(e >> 8 & 15)
		d := int(e>>16) + int(bb&(1<<x-1))
		bb >>= x
		nb -= x
		if d > op {
			err = corrupt("distance %d before the start of the output", d)
			break
		}
		src := op - d
		if d >= 8 {
			o := out[op : op+length+8]
			s := out[src : src+length+8]
			for i := 0; i < length; i += 8 {
				binary.LittleEndian.PutUint64(o[i:], binary.LittleEndian.Uint64(s[i:]))
			}
		} else if d == 1 {
			b := out[src]
			o := out[op : op+length]
			for i := range o {
				o[i] = b
			}
		} else {
			end := op + length
			for w := op; w < end; {
				w += copy(out[w:end], out[src:w])
			}
		}
		op += length
	}
	r.bb, r.nb, r.in, r.ip, r.op = bb, nb, in, ip, op
	return err
}

// decodeFast results.
const (
	fastMore        = iota // out of fast input or output room
	fastEnd                // end of block
	fastBadLiteral         // invalid literal/length codeword
	fastBadDistance        // invalid distance codeword
	fastFar                // distance before the start of the output
)

// decodeFast is decodeHuffman's loop while at least 16 bytes of the current
// piece remain (the two refills of one symbol take at most 14) and the
// window has room for a match. It calls nothing, so its state stays in
// registers.
func decodeFast(bb uint64, nb uint, in []byte, ip int, out []byte, op int, lit *[litTableSize]uint32, dist *[distTableSize]uint32) (uint64, uint, int, int, int) {
	limit := len(out) - slack
	for op <= limit && ip+16 <= len(in) {
		if nb < 32 {
			bb |= binary.LittleEndian.Uint64(in[ip:]) << nb
			ip += int((63 - nb) >> 3)
			nb |= 56
		}
		e := lit[bb&(1<<litBits-1)]
		if e&kindLink != 0 {
			bb >>= litBits
			nb -= litBits
			e = lit[(e>>16+uint32(bb)&(1<<(e>>8&15)-1))&(litTableSize-1)]
		}
		bb >>= e & 63
		nb -= uint(e & 63)
		if e&kindLiteral != 0 {
			out[op] = byte(e >> 16)
			op++
			continue
		}
		if e&kindLength == 0 {
			if e&kindEnd != 0 {
				return bb, nb, ip, op, fastEnd
			}
			return bb, nb, ip, op, fastBadLiteral
		}
		x := uint(e >> 8 & 15)
		length := int(e>>16) + int(bb&(1<<x-1))
		bb >>= x
		nb -= x
		if nb < 28 {
			bb |= binary.LittleEndian.Uint64(in[ip:]) << nb
			ip += int((63 - nb) >> 3)
			nb |= 56
		}
		e = dist[bb&(1<<distBits-1)]
		if e&kindLink != 0 {
			bb >>= distBits
			nb -= distBits
			e = dist[(e>>16+uint32(bb)&(1<<(e>>8&15)-1))&(distTableSize-1)]
		}
		if e&distKind == 0 {
			return bb, nb, ip, op, fastBadDistance
		}
		bb >>= e & 63
		nb -= uint(e & 63)
		x = uint(e >> 8 & 15)
		d := int(e>>16) + int(bb&(1<<x-1))
		bb >>= x
		nb -= x
		if d > op {
			return bb, nb, ip, op, fastFar
		}
		src := op - d
		if d >= 8 {
			o := out[op : op+length+8]
			s := out[src : src+length+8]
			for i := 0; i < length; i += 8 {
				binary.LittleEndian.PutUint64(o[i:], binary.LittleEndian.Uint64(s[i:]))
			}
		} else if d == 1 {
			b := out[src]
			o := out[op : op+length]
			for i := range o {
				o[i] = b
			}
		} else {
			end := op + length
			for w := op; w < end; {
				w += copy(out[w:end], out[src:w])
			}
		}
		op += length
	}
	return bb, nb, ip, op, fastMore
}
