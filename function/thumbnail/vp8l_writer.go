package thumbnail

import (
	"encoding/binary"
	"fmt"
	"image"
	"math/bits"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/vp8l"
)

// This file is a minimal WebP lossless (VP8L) writer, the fallback of
// encodeWebP. It is our own because the one WebP encoder library the module
// proxy serves, nativewebp v0.9.3, limits Huffman code lengths only
// heuristically: on noisy images it panics or could write codes longer than
// the format allows. Nothing here depends on the image's statistics, so
// every stream is valid by construction (RFC 9649, WebP lossless bitstream):
// no transforms, no colour cache, no backward references, one group of
// prefix codes, and for each channel either a simple code (one or two
// values) or a flat code giving all 256 values 8 bits. The price is size:
// about 4 bytes a pixel (3 when alpha is constant), 64 KiB for a 128x128
// thumbnail, which is acceptable for a path taken only when the library fails.

const (
	vp8lSignature = 0x2f
	// vp8lMaxSide is the largest width or height the 14-bit header fields hold.
	vp8lMaxSide = 1 << 14
	// vp8lGreenAlphabet is the green code's alphabet without a colour cache:
	// 256 literals and 24 backward-reference length prefixes.
	vp8lGreenAlphabet = 256 + 24
	// vp8lLiteralAlphabet is the red, blue and alpha codes' alphabet.
	vp8lLiteralAlphabet = 256
)

// vp8lCodeLengthOrder is the order in which a normal prefix code stores the
// lengths of its code length code (RFC 9649, section 3.7.2.1.2).
var vp8lCodeLengthOrder = [19]int{17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

// vp8lChannels lists the NRGBA byte offsets in the order a VP8L pixel codes
// them: green, red, blue, alpha.
var vp8lChannels = [4]int{1, 0, 2, 3}

// encodeVP8L returns img as a WebP file holding one VP8L chunk.
func encodeVP8L(img *image.NRGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 1 || h < 1 || w > vp8lMaxSide || h > vp8lMaxSide {
		return nil, fmt.Errorf("vp8l: cannot write %dx%d: each side must be 1-%d", w, h, vp8lMaxSide)
	}
	var codes [4]vp8lLiteralCode
	for i, c := range vp8lChannels {
		codes[i] = newVP8LLiteralCode(img, c)
	}

	var bw vp8l.BitWriter
	bw.Grow(w*h*4 + 256)
	bw.Write(vp8lSignature, 8)
	bw.Write(uint32(w-1), 14)
	bw.Write(uint32(h-1), 14)
	if img.Opaque() { // alpha_is_used, a hint
		bw.Write(0, 1)
	} else {
		bw.Write(1, 1)
	}
	bw.Write(0, 3) // version
	bw.Write(0, 1) // no transform
	bw.Write(0, 1) // no colour cache
	bw.Write(0, 1) // no meta prefix codes: one group for the whole image
	codes[0].declare(&bw, vp8lGreenAlphabet)
	for _, c := range codes[1:] {
		c.declare(&bw, vp8lLiteralAlphabet)
	}
	vp8lDeclareSimple(&bw, 0, 0) // distance: one symbol, never read
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:4*w]
		for x := 0; x < len(row); x += 4 {
			for i, c := range vp8lChannels {
				codes[i].put(&bw, row[x+c])
			}
		}
	}
	return vp8lRIFF(bw.Flush()), nil
}

// vp8lRIFF wraps a VP8L bitstream in a RIFF WEBP container as a VP8L chunk,
// padded to an even length as RIFF requires.
func vp8lRIFF(stream []byte) []byte {
	pad := len(stream) & 1
	out := make([]byte, 0, 20+len(stream)+pad)
	out = append(out, "RIFF"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(stream)+pad))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(stream)))
	out = append(out, stream...)
	if pad == 1 {
		out = append(out, 0)
	}
	return out
}

// vp8lLiteralCode is the prefix code of one channel: a simple code of one
// value (0 bits a pixel) or two values (1 bit), otherwise a flat 8-bit code
// over all 256 values.
type vp8lLiteralCode struct {
	n      int      // distinct values: 1, 2, or 3 meaning more
	values [2]uint8 // the values when n <= 2, ascending
}

// newVP8LLiteralCode chooses the code for channel c (an NRGBA byte offset) of img.
func newVP8LLiteralCode(img *image.NRGBA, c int) vp8lLiteralCode {
	var seen [256]bool
	var code vp8lLiteralCode
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && code.n <= 2; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]
		for x := c; x < len(row); x += 4 {
			v := row[x]
			if seen[v] {
				continue
			}
			seen[v] = true
			if code.n < 2 {
				code.values[code.n] = v
			}
			code.n++
			if code.n > 2 {
				break
			}
		}
	}
	if code.n == 2 && code.values[0] > code.values[1] {
		code.values[0], code.values[1] = code.values[1], code.values[0]
	}
	return code
}

// declare writes the code as the stream declares it, for an alphabet of
// the given size (at least 256).
func (c vp8lLiteralCode) declare(w *vp8l.BitWriter, alphabet int) {
	switch c.n {
	case 1:
		vp8lDeclareSimple(w, c.values[0], c.values[0])
	case 2:
		vp8lDeclareSimple(w, c.values[0], c.values[1])
	default:
		vp8lDeclareFlat(w, alphabet)
	}
}

// put writes the code of value v.
func (c vp8lLiteralCode) put(w *vp8l.BitWriter, v uint8) {
	switch c.n {
	case 1: // a one-symbol code takes no bits
	case 2: // canonical codes: the smaller value is 0, the larger 1
		if v == c.values[1] {
			w.Write(1, 1)
		} else {
			w.Write(0, 1)
		}
	default:
		// Every value has length 8, so the canonical code of v is v itself.
		// Prefix codes are read first bit first into an LSB-first stream.
		w.Write(uint32(bits.Reverse8(v)), 8)
	}
}

// vp8lDeclareSimple writes a simple prefix code: of one symbol s0 when
// s0 == s1, which costs no bits to read, otherwise of two, each one bit long.
func vp8lDeclareSimple(w *vp8l.BitWriter, s0, s1 uint8) {
	w.Write(1, 1) // simple code
	if s0 == s1 {
		w.Write(0, 1) // one symbol
	} else {
		w.Write(1, 1) // two symbols
	}
	w.Write(1, 1) // the first symbol is written in 8 bits
	w.Write(uint32(s0), 8)
	if s0 != s1 {
		w.Write(uint32(s1), 8)
	}
}

// vp8lDeclareFlat writes a normal prefix code giving symbols 0-255 of the
// alphabet length 8 and the rest (green's length prefixes) length 0. Its code
// length code uses two symbols, 0 and 8, each one bit long: a complete code
// in which length 0 reads as bit 0 and length 8 as bit 1.
func vp8lDeclareFlat(w *vp8l.BitWriter, alphabet int) {
	const lengthsStored = 12 // symbol 8 is the 12th in vp8lCodeLengthOrder
	w.Write(0, 1)            // normal code
	w.Write(lengthsStored-4, 4)
	for _, s := range vp8lCodeLengthOrder[:lengthsStored] {
		if s == 0 || s == 8 {
			w.Write(1, 3)
		} else {
			w.Write(0, 3)
		}
	}
	w.Write(0, 1) // a length for every symbol of the alphabet follows
	for s := range alphabet {
		if s < 256 {
			w.Write(1, 1)
		} else {
			w.Write(0, 1)
		}
	}
}
