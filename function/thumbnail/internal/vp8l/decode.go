// Copyright 2014 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package vp8l decodes VP8L, the lossless WebP bitstream, from memory.
//
// It is a fork of golang.org/x/image/vp8l (v0.48.0) made for speed: that
// decoder reads every bit through an io.ByteReader and walks Huffman trees
// a bit at a time once a code is longer than 7 bits, which took over a
// second of CPU for a 34-byte file declaring 4000x4000 pixels of one colour
// (every symbol read tried, and failed, to read a byte past the end) and
// about a second for a 16 MP photo. This one reads a byte slice through a
// 64-bit bit buffer refilled eight bytes at a time, decodes each Huffman
// symbol with one or two table lookups, fills a run of pixels whose codes
// take no bits at once, and works on pixels as 32-bit words. The format
// and the pixels are the same; where the two libraries differ on a corner
// of the format, it does what libwebp (the reference, dwebp) does:
//
//   - a Huffman code must be complete (or have a single symbol): x/image
//     decodes incomplete ones by walking off its tree;
//   - a simple code that names the same symbol twice, or a distance symbol
//     outside the 40-symbol alphabet, is a code of the symbols that remain;
//   - predictor modes 14 and 15 predict opaque black, as mode 0.
//
// Security limits are x/image's: at most 2600 Huffman groups, colour cache
// of 1 to 11 bits, and LZ77 copies that stay inside the image.
package vp8l

import (
	"errors"
	"image"
	"io"
	"unsafe"
)

var (
	errInvalidHeader      = errors.New("vp8l: invalid header")
	errInvalidVersion     = errors.New("vp8l: invalid version")
	errInvalidCodeLengths = errors.New("vp8l: invalid code lengths")
	errInvalidHuffmanTree = errors.New("vp8l: invalid Huffman tree")
	errInvalidColorCache  = errors.New("vp8l: invalid color cache parameters")
	errInvalidLZ77        = errors.New("vp8l: invalid LZ77 parameters")
	errRepeatedTransform  = errors.New("vp8l: repeated transform")
	errTooManyTrees       = errors.New("vp8l: too many Huffman trees")
)

// colorCacheMultiplier is the multiplier of the color cache hash function,
// specified in section 4.2.3.
const colorCacheMultiplier = 0x1e35a7bd

// maxCacheBits is the largest color cache, in index bits.
const maxCacheBits = 11

// maxHuffImageSize is the most Huffman groups a stream may use. The format
// allows 65535; libwebp's encoder writes at most 2600 (MAX_HUFF_IMAGE_SIZE)
// and x/image refuses more, which bounds the tables' memory.
const maxHuffImageSize = 2600

// distanceMapTable is the look-up table for distanceMap.
var distanceMapTable = [120]uint8{
	0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a,
	0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15, 0x1b, 0x36, 0x3a,
	0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b,
	0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45, 0x4b, 0x34, 0x3c, 0x03,
	0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c,
	0x55, 0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e,
	0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b,
	0x32, 0x3e, 0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f,
	0x64, 0x6c, 0x42, 0x4e, 0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b,
	0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41,
	0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d, 0x51, 0x5f,
	0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
}

// distanceMap maps a LZ77 backwards reference distance code to a distance
// in pixels, specified in section 4.2.2.
func distanceMap(w int, code uint32) int {
	if code > uint32(len(distanceMapTable)) {
		return int(code) - len(distanceMapTable)
	}
	distCode := int(distanceMapTable[code-1])
	yOffset := distCode >> 4
	xOffset := 8 - distCode&0xf
	if d := yOffset*w + xOffset; d >= 1 {
		return d
	}
	return 1
}

// decoder holds the bitstream and the reusable working memory.
type decoder struct {
	br      bitReader
	scratch tableScratch
	lengths [maxAlphabet]uint8
}

// Header is what a VP8L stream's first five bytes declare.
type Header struct {
	Width, Height int
	// AlphaHint is the encoder's hint that some pixel is not opaque.
	AlphaHint bool
}

// DecodeHeader reads the header of a VP8L stream (the payload of a VP8L chunk).
func DecodeHeader(data []byte) (Header, error) {
	d := &decoder{br: bitReader{in: data}}
	return d.header()
}

func (d *decoder) header() (Header, error) {
	magic := d.br.read(8)
	width := d.br.read(14) + 1
	height := d.br.read(14) + 1
	alpha := d.br.read(1)
	version := d.br.read(3)
	switch {
	case d.br.overrun():
		return Header{}, io.ErrUnexpectedEOF
	case magic != 0x2f:
		return Header{}, errInvalidHeader
	case version != 0:
		return Header{}, errInvalidVersion
	}
	return Header{Width: int(width), Height: int(height), AlphaHint: alpha != 0}, nil
}

// Decode decodes a VP8L stream (the payload of a VP8L chunk) into an
// image of non-premultiplied colours. Bytes after the stream are ignored;
// a stream cut short is io.ErrUnexpectedEOF. Decoding allocates the pixels
// (4 bytes each, and when a colour-indexing transform packs several pixels
// into one, up to 2 more), the Huffman tables (at most about 20 KB for each
// of at most 2600 groups) and the transforms' small images.
func Decode(data []byte) (*image.NRGBA, error) {
	d := &decoder{br: bitReader{in: data}}
	pix, w, h, err := d.decode()
	if err != nil {
		if d.br.overrun() {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return &image.NRGBA{Pix: wordsAsBytes(pix), Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}, nil
}

func (d *decoder) decode() (pix []uint32, w, h int, err error) {
	hd, err := d.header()
	if err != nil {
		return nil, 0, 0, err
	}
	w, h = hd.Width, hd.Height
	var (
		transforms [nTransformTypes]transform
		n          int
		seen       [nTransformTypes]bool
	)
	width := w
	for d.br.read(1) != 0 {
		t, newWidth, err := d.decodeTransform(width, h)
		if err != nil {
			return nil, 0, 0, err
		}
		if seen[t.transformType] {
			return nil, 0, 0, errRepeatedTransform
		}
		seen[t.transformType] = true
		transforms[n] = t
		n++
		width = newWidth
	}
	pix, err = d.decodePix(width, h, true)
	if err != nil {
		return nil, 0, 0, err
	}
	if d.br.overrun() {
		return nil, 0, 0, io.ErrUnexpectedEOF
	}
	for i := n - 1; i >= 0; i-- {
		pix = transforms[i].inverse(pix, h)
	}
	return pix, w, h, nil
}

// wordsAsBytes returns the bytes of pix in memory order, R G B A for each
// pixel word (see pixel).
func wordsAsBytes(pix []uint32) []byte {
	if len(pix) == 0 {
		return nil
	}
	if !littleEndian {
		out := make([]byte, 4*len(pix))
		for i, v := range pix {
			out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		}
		return out
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&pix[0])), 4*len(pix))
}

// littleEndian reports whether this machine stores words low byte first.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// pixel is the word of one pixel: red in the low byte, then green, blue
// and alpha, so that on a little-endian machine the words of an image are
// the bytes of an image.NRGBA.
func pixel(r, g, b, a uint32) uint32 { return r | g<<8 | b<<16 | a<<24 }

// toARGB is a pixel word as VP8L's ARGB value, which the colour cache hashes.
func toARGB(p uint32) uint32 { return p&0xff00ff00 | p>>16&0xff | (p&0xff)<<16 }

// nTiles returns the number of tiles needed to cover size pixels, where each
// tile's side is 1<<bits pixels long.
func nTiles(size int, bits uint32) int {
	return (size + 1<<bits - 1) >> bits
}

// repeatsCodeLength is the minimum code length for repeated codes.
const repeatsCodeLength = 16

// These magic numbers are specified at the end of section 5.2.2.
// The 3-length arrays apply to code lengths >= repeatsCodeLength.
var (
	codeLengthCodeOrder = [19]uint8{
		17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	}
	repeatBits    = [3]uint8{2, 3, 7}
	repeatOffsets = [3]uint8{3, 3, 11}
)

// decodeCodeLengths decodes a Huffman code's lengths into dst, which are
// themselves coded with the code of codeLengthCodeLengths, section 5.2.2.
func (d *decoder) decodeCodeLengths(dst []uint8, codeLengthCodeLengths []uint8) error {
	var buf [rootSize]uint32
	table, ok := buildTable(buf[:], codeLengthCodeLengths, &d.scratch)
	if !ok {
		return errInvalidHuffmanTree
	}
	br := &d.br
	maxSymbol := len(dst)
	if br.read(1) != 0 {
		n := 2 + 2*br.read(3)
		maxSymbol = int(br.read(uint(n))) + 2
		if maxSymbol > len(dst) {
			return errInvalidCodeLengths
		}
	}
	// The spec says that "if code 16 [meaning repeat] is used before
	// a non-zero value has been emitted, a value of 8 is repeated."
	prev := uint8(8)
	for symbol := 0; symbol < len(dst); {
		if maxSymbol == 0 {
			break
		}
		maxSymbol--
		if br.nb < maxCodeLength {
			br.refill()
		}
		// Code length codes are at most 7 bits: the root table holds them all.
		e := table[br.bb&(rootSize-1)]
		br.bb >>= e & 0xff
		br.nb -= uint(e & 0xff)
		codeLength := uint8(e >> 16)
		if codeLength < repeatsCodeLength {
			dst[symbol] = codeLength
			symbol++
			if codeLength != 0 {
				prev = codeLength
			}
			continue
		}
		repeat := int(br.read(uint(repeatBits[codeLength-repeatsCodeLength]))) + int(repeatOffsets[codeLength-repeatsCodeLength])
		if symbol+repeat > len(dst) {
			return errInvalidCodeLengths
		}
		// A code length of 16 repeats the previous non-zero code.
		// A code length of 17 or 18 repeats zeroes.
		cl := uint8(0)
		if codeLength == 16 {
			cl = prev
		}
		for ; repeat > 0; repeat-- {
			dst[symbol] = cl
			symbol++
		}
	}
	return nil
}

// decodeHuffmanTree decodes one Huffman code over alphabetSize symbols and
// returns its table, in dst if it is large enough.
func (d *decoder) decodeHuffmanTree(dst []uint32, alphabetSize int) ([]uint32, error) {
	br := &d.br
	lengths := d.lengths[:alphabetSize]
	clear(lengths)
	if br.read(1) != 0 {
		// A simple code: one or two symbols of length 1. As in libwebp, a
		// symbol outside the alphabet is dropped, and a symbol named twice
		// is one symbol.
		nSymbols := br.read(1) + 1
		firstBits := 7*br.read(1) + 1
		if s := int(br.read(uint(firstBits))); s < alphabetSize {
			lengths[s] = 1
		}
		if nSymbols == 2 {
			if s := int(br.read(8)); s < alphabetSize {
				lengths[s] = 1
			}
		}
	} else {
		nCodes := int(br.read(4)) + 4
		var codeLengthCodeLengths [len(codeLengthCodeOrder)]uint8
		for i := range nCodes {
			codeLengthCodeLengths[codeLengthCodeOrder[i]] = uint8(br.read(3))
		}
		if err := d.decodeCodeLengths(lengths, codeLengthCodeLengths[:]); err != nil {
			return nil, err
		}
	}
	if br.overrun() {
		return nil, io.ErrUnexpectedEOF
	}
	t, ok := buildTable(dst, lengths, &d.scratch)
	if !ok {
		return nil, errInvalidHuffmanTree
	}
	return t, nil
}

const (
	huffGreen    = 0
	huffRed      = 1
	huffBlue     = 2
	huffAlpha    = 3
	huffDistance = 4
	nHuff        = 5
)

const (
	nLiteralCodes  = 256
	nLengthCodes   = 24
	nDistanceCodes = 40
)

var alphabetSizes = [nHuff]int{
	nLiteralCodes + nLengthCodes,
	nLiteralCodes,
	nLiteralCodes,
	nLiteralCodes,
	nDistanceCodes,
}

// hGroup is the five Huffman codes of a group, and what they allow to skip.
type hGroup struct {
	trees [nHuff][]uint32
	// literalRBA is the pixel of a literal without its green when the red,
	// blue and alpha codes each have one symbol, so take no bits.
	literalRBA uint32
	// trivialLiteral says literalRBA is valid.
	trivialLiteral bool
	// constant says every code takes no bits and green's one symbol is a
	// literal: every pixel of the group is literalRBA with that green.
	constant bool
	// alphaZeroBits says the alpha code has one symbol (an opaque image's
	// usually does), whose pixel bits are alphaBits.
	alphaZeroBits bool
	alphaBits     uint32
}

// zeroBits reports whether table t is a code of one symbol, which takes no bits.
func zeroBits(t []uint32) bool { return t[0]&linkFlag == 0 && t[0]&0xff == 0 }

// decodeHuffmanGroups decodes the Huffman groups of an image w x h, the
// meta image that maps its tiles to them (top level only), and that
// image's tile bits (0: one group for the whole image).
func (d *decoder) decodeHuffmanGroups(w, h int, topLevel bool, ccBits uint32) (
	groups []hGroup, meta []uint32, metaBits uint32, err error) {
	br := &d.br
	// mapping, when not nil, maps a group's index in the stream to its
	// index in groups, or -1 for a group no tile uses.
	var mapping []int16
	maxIndex, numGroups := 0, 1
	if topLevel && br.read(1) != 0 {
		metaBits = br.read(3) + 2
		tilesW, tilesH := nTiles(w, metaBits), nTiles(h, metaBits)
		meta, err = d.decodePix(tilesW, tilesH, false)
		if err != nil {
			return nil, nil, 0, err
		}
		// The group of a tile is in red and green.
		for i, p := range meta {
			g := int(p&0xff)<<8 | int(p>>8&0xff)
			meta[i] = uint32(g)
			maxIndex = max(maxIndex, g)
		}
		// An input declaring a 1600x900 image can reference every one of
		// 65536 groups: with the largest trees, gigabytes of tables.
		// libwebp's encoder writes at most 2600 groups; refuse more.
		if maxIndex >= maxHuffImageSize {
			return nil, nil, 0, errTooManyTrees
		}
		// Store only the groups used when many are declared (libwebp's rule).
		if maxIndex >= 1000 || maxIndex >= tilesW*tilesH {
			mapping = make([]int16, maxIndex+1)
			for i := range mapping {
				mapping[i] = -1
			}
			numGroups = 0
			for i, g := range meta {
				if mapping[g] == -1 {
					mapping[g] = int16(numGroups)
					numGroups++
				}
				meta[i] = uint32(mapping[g])
			}
		} else {
			numGroups = maxIndex + 1
		}
	}
	groups = make([]hGroup, numGroups)
	var discard []uint32
	if mapping != nil {
		discard = make([]uint32, maxTableSize)
	}
	for i := range maxIndex + 1 {
		gi := i
		if mapping != nil {
			gi = int(mapping[i])
		}
		for j, alphabetSize := range alphabetSizes {
			if j == huffGreen && ccBits > 0 {
				alphabetSize += 1 << ccBits
			}
			if gi < 0 {
				// An unused group: decoded, its tables dropped.
				_, err = d.decodeHuffmanTree(discard, alphabetSize)
			} else {
				groups[gi].trees[j], err = d.decodeHuffmanTree(nil, alphabetSize)
			}
			if err != nil {
				return nil, nil, 0, err
			}
		}
	}
	for gi := range groups {
		g := &groups[gi]
		red, blue, alpha := g.trees[huffRed], g.trees[huffBlue], g.trees[huffAlpha]
		if zeroBits(alpha) {
			g.alphaZeroBits, g.alphaBits = true, alpha[0]>>16<<24
		}
		if zeroBits(red) && zeroBits(blue) && zeroBits(alpha) {
			g.trivialLiteral = true
			g.literalRBA = pixel(red[0]>>16, 0, blue[0]>>16, alpha[0]>>16)
			green := g.trees[huffGreen]
			if zeroBits(green) && green[0]>>16 < nLiteralCodes {
				g.constant = true
				g.literalRBA |= green[0] >> 16 << 8
			}
		}
	}
	return groups, meta, metaBits, nil
}
