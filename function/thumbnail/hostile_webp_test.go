package thumbnail

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/vp8l"
)

// canonicalCodes returns the canonical Huffman code of each symbol given the code lengths.
func canonicalCodes(lengths []uint32) []uint32 {
	var count [16]uint32
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]uint32
	for l, code := 1, uint32(0); l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
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

// completeLengths returns code lengths for n symbols (n >= 2) that use the
// whole code space, as a Huffman code must: the shortest lengths possible.
func completeLengths(n int) []uint32 {
	long := uint32(bits.Len(uint(n - 1))) // ceil(log2 n)
	short := 1<<long - n                  // symbols one bit shorter
	lengths := make([]uint32, n)
	for i := range lengths {
		lengths[i] = long
		if i < short {
			lengths[i] = long - 1
		}
	}
	return lengths
}

// vp8lTree is one Huffman tree as a VP8L stream declares it.
type vp8lTree struct {
	lengths []uint32 // code length of every symbol of the alphabet
	codes   []uint32
}

// newVP8LTree gives the symbols lengths, every other symbol of an alphabet of size n none.
func newVP8LTree(n int, symbols []int, lengths []uint32) vp8lTree {
	t := vp8lTree{lengths: make([]uint32, n)}
	for i, s := range symbols {
		t.lengths[s] = lengths[i]
	}
	t.codes = canonicalCodes(t.lengths)
	return t
}

// fullVP8LTree is a tree using every symbol of an alphabet of size n: the
// largest tree, in memory, that alphabet allows.
func fullVP8LTree(n int) vp8lTree {
	symbols := make([]int, n)
	for i := range symbols {
		symbols[i] = i
	}
	return newVP8LTree(n, symbols, completeLengths(n))
}

// codeLengthOrder is the order in which code length code lengths are stored.
var codeLengthOrder = [19]int{17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

// write declares the tree as a normal (not simple) code: a code length code
// over the lengths in use, then every symbol's length, without repeat codes.
func (t vp8lTree) write(w *vp8l.BitWriter) {
	used := map[uint32]bool{}
	var values []int
	for _, l := range t.lengths {
		if !used[l] {
			used[l] = true
			values = append(values, int(l))
		}
	}
	if len(values) == 1 { // a code needs two symbols; the second is never written
		values = append(values, (values[0]+1)%16)
	}
	clLengths := make([]uint32, 19)
	for i, l := range completeLengths(len(values)) {
		clLengths[values[i]] = l
	}
	clCodes := canonicalCodes(clLengths)
	w.Write(0, 1)    // normal code
	w.Write(19-4, 4) // all 19 code length code lengths follow
	for _, s := range codeLengthOrder {
		w.Write(clLengths[s], 3)
	}
	w.Write(0, 1) // lengths for the whole alphabet
	for _, l := range t.lengths {
		w.WriteCode(clCodes[l], clLengths[l])
	}
}

// symbol writes the code of symbol s.
func (t vp8lTree) symbol(w *vp8l.BitWriter, s int) { w.WriteCode(t.codes[s], t.lengths[s]) }

// writeSimpleTree declares a simple code of one 8-bit symbol, which costs no bits to read.
func writeSimpleTree(w *vp8l.BitWriter, symbol uint32) {
	w.Write(1, 1) // simple code
	w.Write(0, 1) // one symbol
	w.Write(1, 1) // of 8 bits
	w.Write(symbol, 8)
}

// vp8lManyGroups builds a w x h lossless WebP whose entropy image gives each
// 4x4 tile its own group of five Huffman trees, up to groups of them, every
// tree as large as its alphabet allows (the green one widened by an 11-bit
// colour cache). With pixels false the stream ends after the trees.
func vp8lManyGroups(width, height, groups int, pixels bool) []byte {
	const cacheBits, tileBits = 11, 2
	w := &vp8l.BitWriter{}
	w.Write(0x2f, 8)
	w.Write(uint32(width-1), 14)
	w.Write(uint32(height-1), 14)
	w.Write(1, 1) // alpha used
	w.Write(0, 3) // version
	w.Write(0, 1) // no transform
	w.Write(1, 1) // colour cache
	w.Write(cacheBits, 4)
	w.Write(1, 1) // entropy image
	w.Write(tileBits-2, 3)
	tilesX, tilesY := (width+3)>>tileBits, (height+3)>>tileBits
	tileGroup := func(tx, ty int) int { return min(ty*tilesX+tx, groups-1) }
	// The entropy image: the group of tile i is stored in red (high byte) and green (low byte).
	w.Write(0, 1) // no colour cache for it
	lows := make([]int, 256)
	for i := range lows {
		lows[i] = i
	}
	green := newVP8LTree(256+24, lows, completeLengths(256))
	red := newVP8LTree(256, lows[:16], completeLengths(16))
	green.write(w)
	red.write(w)
	writeSimpleTree(w, 0) // blue
	writeSimpleTree(w, 0) // alpha
	writeSimpleTree(w, 0) // distance
	for ty := 0; ty < tilesY; ty++ {
		for tx := 0; tx < tilesX; tx++ {
			g := tileGroup(tx, ty)
			green.symbol(w, g&0xFF)
			red.symbol(w, g>>8)
		}
	}
	// The groups.
	trees := [5]vp8lTree{fullVP8LTree(256 + 24 + 1<<cacheBits), fullVP8LTree(256), fullVP8LTree(256), fullVP8LTree(256), fullVP8LTree(40)}
	for range groups {
		for _, t := range trees {
			t.write(w)
		}
	}
	if pixels {
		for range width * height { // every pixel transparent black, literally
			for _, t := range trees[:4] {
				t.symbol(w, 0)
			}
		}
	}
	return riffWebP(append([]byte("VP8L"), w.Flush()...))
}

// vp8lSolid is a w x h lossless WebP of one colour, coded with single-symbol
// trees: the pixels cost no bits at all.
func vp8lSolid(width, height int, cacheBits uint32) []byte {
	return riffWebP(vp8lSolidChunk(width, height, cacheBits))
}

// vp8lSolidChunk is the VP8L chunk (type and payload) of vp8lSolid.
func vp8lSolidChunk(width, height int, cacheBits uint32) []byte {
	w := &vp8l.BitWriter{}
	w.Write(0x2f, 8)
	w.Write(uint32(width-1), 14)
	w.Write(uint32(height-1), 14)
	w.Write(0, 1)
	w.Write(0, 3)
	w.Write(0, 1) // no transform
	if cacheBits > 0 {
		w.Write(1, 1)
		w.Write(cacheBits, 4)
	} else {
		w.Write(0, 1)
	}
	w.Write(0, 1) // one group
	for _, s := range []uint32{0x80, 0x40, 0x20, 0xFF, 0} {
		writeSimpleTree(w, s)
	}
	return append([]byte("VP8L"), w.Flush()...)
}

// vp8Chunk is a lossy key frame declaring w x h, its first partition and the
// rest of its data zero bytes of the given lengths.
func vp8Chunk(w, h, first, rest int) []byte {
	tag := uint32(1<<4 | first<<5) // key frame, version 0, shown
	c := []byte{'V', 'P', '8', ' ', byte(tag), byte(tag >> 8), byte(tag >> 16), 0x9d, 0x01, 0x2a}
	c = binary.LittleEndian.AppendUint16(c, uint16(w))
	c = binary.LittleEndian.AppendUint16(c, uint16(h))
	return append(c, make([]byte, first+rest)...)
}

// withChunkSize rewrites the declared size of the chunk at offset i.
func withChunkSize(data []byte, i int, size uint32) []byte {
	out := append([]byte{}, data...)
	binary.LittleEndian.PutUint32(out[i+4:], size)
	return out
}

// hostileWebP: canvases over the limits, frames that cannot back them,
// lossless streams with the most Huffman trees, and oversized metadata.
func hostileWebP() []hostileCase {
	const alphaFlag, exifFlag = 0x10, 0x08
	groups := func(n int, pixels bool) func(testing.TB) []byte {
		return func(testing.TB) []byte { return vp8lManyGroups(256, 256, n, pixels) }
	}
	// The decoder caps a lossless stream at 2600 groups of five trees;
	// with every tree as large as its alphabet allows, internal/vp8l's
	// lookup tables take at most about 20 KB a group (52 MB in all; x/image's
	// trees took about 200 MB), whatever the image size.
	huffmanCap := allocBound{fixed: 64 * mib, perInput: 2}
	return []hostileCase{
		{name: "webp 8001x8000 canvas, pixels just over the limit", input: constant(riffWebP(vp8xChunk(0, 8001, 8000))),
			kind: ErrTooLarge, reason: "8001x8000 = 64008000 pixels, limit 64000000", bound: fromHeader},
		{name: "webp 65536x1 canvas, side just over the limit", input: constant(riffWebP(vp8xChunk(0, 65536, 1))),
			kind: ErrTooLarge, reason: "65536x1, side limit 65535", bound: fromHeader},
		{name: "webp lossless 16384x3907 header, pixels just over the limit", input: constant(riffWebP(vp8lHeaderChunk(16384, 3907))),
			kind: ErrTooLarge, reason: "16384x3907 = 64012288 pixels", bound: fromHeader},
		{name: "webp lossy 16383x3907 header, pixels just over the limit", input: constant(riffWebP(vp8Chunk(16383, 3907, 10, 10))),
			kind: ErrTooLarge, reason: "16383x3907 = 64008381 pixels", bound: fromHeader},
		// Lossless is decoded at full size, 4 bytes a pixel and up to 2 more
		// for a packed image: a 34-byte file of one colour declares it all.
		{name: "webp lossless 8000x8000 of one colour", input: constant(vp8lSolid(8000, 8000, 0)),
			kind: ErrTooLarge, reason: "webp 8000x8000 lossless: decoding needs about 384 MB, decode budget 256 MB", bound: fromHeader},
		{name: "webp lossless 4000x4000 of one colour within the budget", input: constant(vp8lSolid(4000, 4000, 11)),
			reason: string(WebP), bound: fullSize(6 * 4000 * 4000)},
		// Lossy is 1.5 bytes a pixel: a frame with no data behind it is decoded, and fails.
		{name: "webp lossy 8000x8000 frame with 20 bytes of data", input: constant(riffWebP(vp8Chunk(8000, 8000, 10, 10))),
			kind: ErrCorrupt, reason: "webp data", bound: fullSize(8000 * 8000 * 3 / 2)},
		// A lossy frame of 64 MP whose token data stops after a few bytes:
		// refused at the first macroblock row that reads past the end.
		{name: "webp lossy 16000x4000 frame with 1 KB of data", input: constant(riffWebP(vp8Chunk(16000, 4000, 10, 1000))),
			kind: ErrCorrupt, reason: "unexpected EOF", bound: fullSize(16000 * 4000 * 3 / 2)},
		// The most decoding work a byte of lossy WebP can ask for: 64 MP in
		// 208 KB whose every block codes sixteen nearly free zero tokens
		// (internal/vp8's zeroTokenFrame).
		{name: "webp lossy 16000x4000 of zero tokens", input: gunzipFile("internal/vp8/testdata/zero-tokens-16000x4000.webp.gz"),
			reason: string(WebP), bound: fullSize(16000 * 4000 * 3 / 2)},
		{name: "webp lossy 8000x8000 with alpha", input: constant(riffWebP(vp8xChunk(alphaFlag, 8000, 8000), []byte("ALPH\x00"), vp8Chunk(8000, 8000, 10, 10))),
			kind: ErrTooLarge, reason: "lossy with alpha: decoding needs about 672 MB", bound: fromHeader},
		// Huffman groups: the most the decoder takes, with and without pixels after them, and one more.
		{name: "webp lossless with 2600 groups of the largest trees", input: groups(2600, true), reason: string(WebP), bound: huffmanCap},
		{name: "webp lossless with 2600 groups of the largest trees, cut after them", input: groups(2600, false),
			kind: ErrCorrupt, reason: "unexpected EOF", bound: huffmanCap},
		{name: "webp lossless with 2601 groups", input: groups(2601, false), kind: ErrCorrupt, reason: "too many Huffman trees", bound: bounded},
		// Metadata chunks declared larger than the file, before and after the image.
		{name: "webp EXIF chunk declared larger than the file, before the image", input: func(testing.TB) []byte {
			b := riffWebP(vp8xChunk(exifFlag, 64, 64), []byte("EXIF\x00\x00\x00\x00"), vp8lSolidChunk(64, 64, 0))
			return withChunkSize(b, 12+18, 0xFFFFFFF0)
		}, kind: ErrCorrupt, reason: "webp data", bound: fromHeader},
		{name: "webp XMP chunk declared larger than the file, after the image", input: func(testing.TB) []byte {
			b := riffWebP(vp8xChunk(0, 64, 64), vp8lSolidChunk(64, 64, 0), []byte("XMP \x00\x00\x00\x00"))
			return withChunkSize(b, len(b)-8, 0xFFFFFFF0)
		}, reason: string(WebP), bound: bounded},
		{name: "webp with a 40 MB XMP chunk", input: func(testing.TB) []byte {
			return riffWebP(vp8xChunk(0, 512, 512), append([]byte("XMP "), bytes.Repeat([]byte("hostile "), 5<<20)...), vp8lSolidChunk(512, 512, 0))
		}, reason: string(WebP), bound: metadataOnly},
	}
}

// gunzipFile reads a gzipped test file.
func gunzipFile(name string) func(testing.TB) []byte {
	return func(t testing.TB) []byte {
		data, err := testimage.ReadGzip(name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
}
