package thumbnail

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"sync"
	"testing"
)

// pngHeader is the content of an IHDR chunk.
type pngHeader struct {
	width, height uint32
	depth, ctype  byte
	interlaced    bool
}

// bytes returns the 13-byte IHDR payload.
func (h pngHeader) bytes() []byte {
	b := binary.BigEndian.AppendUint32(nil, h.width)
	b = binary.BigEndian.AppendUint32(b, h.height)
	il := byte(0)
	if h.interlaced {
		il = 1
	}
	return append(b, h.depth, h.ctype, 0, 0, il)
}

// rawSize is the length of the filtered scanlines the header implies: one
// filter byte per row of each Adam7 pass (of the whole image when not interlaced).
func (h pngHeader) rawSize() int64 {
	samples := map[byte]int64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[h.ctype]
	row := func(w int64) int64 { return 1 + (w*samples*int64(h.depth)+7)/8 }
	w, ht := int64(h.width), int64(h.height)
	if !h.interlaced {
		return ht * row(w)
	}
	var n int64
	// Adam7 passes: x offset, y offset, x step, y step.
	for _, p := range [7][4]int64{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
		pw, ph := (w-p[0]+p[2]-1)/p[2], (ht-p[1]+p[3]-1)/p[3]
		if pw > 0 && ph > 0 {
			n += ph * row(pw)
		}
	}
	return n
}

// pngChunk is one chunk to write: its type and payload.
type pngChunk struct {
	kind string
	data []byte
}

// pngFile writes the signature, IHDR, the chunks, and IEND.
func pngFile(h pngHeader, chunks ...pngChunk) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	writePNGChunk(&b, "IHDR", h.bytes())
	for _, c := range chunks {
		writePNGChunk(&b, c.kind, c.data)
	}
	writePNGChunk(&b, "IEND", nil)
	return b.Bytes()
}

// zlibZeros caches the zlib streams of runs of zero bytes, which several cases share.
var zlibZeros sync.Map // int64 -> []byte

// compressedZeros returns n zero bytes compressed with zlib at its best ratio.
func compressedZeros(t testing.TB, n int64) []byte {
	if z, ok := zlibZeros.Load(n); ok {
		return z.([]byte)
	}
	var b bytes.Buffer
	zw, err := zlib.NewWriterLevel(&b, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 1<<20)
	for left := n; left > 0; left -= int64(len(block)) {
		if _, err := zw.Write(block[:min(left, int64(len(block)))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zlibZeros.Store(n, b.Bytes())
	return b.Bytes()
}

// pngZeros is a complete PNG whose every sample is zero: black, or
// transparent when the colour type has alpha. Unfiltered zero rows are all
// zero bytes, so it compresses about a thousand to one.
func pngZeros(t testing.TB, h pngHeader, extra ...pngChunk) []byte {
	chunks := append([]pngChunk{}, extra...)
	if h.ctype == 3 {
		chunks = append(chunks, pngChunk{"PLTE", []byte{0, 0, 0}})
	}
	chunks = append(chunks, pngChunk{"IDAT", compressedZeros(t, h.rawSize())})
	return pngFile(h, chunks...)
}

// pngTruncated is a PNG whose header declares h but whose image data is the
// start of a zlib stream of zeros, far too short for it.
func pngTruncated(t testing.TB, h pngHeader) []byte {
	return pngFile(h, pngChunk{"IDAT", compressedZeros(t, 1000)})
}

// pngWithText is a 512x512 grey PNG with a metadata chunk of n bytes before its image data.
func pngWithText(t testing.TB, kind string, n int) []byte {
	payload := bytes.Repeat([]byte("hostile "), n/8)
	switch kind {
	case "tEXt":
		copy(payload, "Comment\x00")
	case "zTXt":
		copy(payload, "Comment\x00\x00") // claims zlib data; the bytes are not
	case "iTXt":
		copy(payload, "Comment\x00\x00\x00\x00\x00")
	}
	return pngZeros(t, pngHeader{512, 512, 8, 0, false}, pngChunk{kind, payload})
}

// hostilePNG: decompression bombs and oversized chunks.
func hostilePNG() []hostileCase {
	grey := func(w, h uint32) pngHeader { return pngHeader{w, h, 8, 0, false} }
	rgba := func(w, h uint32) pngHeader { return pngHeader{w, h, 8, 6, false} }
	zeros := func(h pngHeader) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return pngZeros(t, h) }
	}
	truncated := func(h pngHeader) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return pngTruncated(t, h) }
	}
	text := func(kind string) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return pngWithText(t, kind, 40<<20) }
	}
	return []hostileCase{
		// Headers just over each limit.
		{name: "png 8001x8000 header, pixels just over the limit", input: constant(pngWithHeader(8001, 8000)),
			kind: ErrTooLarge, reason: "8001x8000 = 64008000 pixels, limit 64000000", bound: fromHeader},
		{name: "png 65536x1 header, side just over the limit", input: constant(pngWithHeader(65536, 1)),
			kind: ErrTooLarge, reason: "65536x1, side limit 65535", bound: fromHeader},
		{name: "png 1x65536 header, side just over the limit", input: constant(pngWithHeader(1, 65536)),
			kind: ErrTooLarge, reason: "1x65536, side limit 65535", bound: fromHeader},
		{name: "png 4294967295 square header", input: constant(pngWithHeader(1<<32-1, 1<<32-1)),
			kind: ErrCorrupt, reason: "png header", bound: fromHeader},
		// Tiny files that inflate enormously. At 64 MP, exactly the pixel
		// limit, the streamed decoder keeps a few rows: accepted.
		{name: "png 8000x8000 grey zeros at the pixel limit", input: zeros(grey(8000, 8000)), reason: string(PNG), bound: bounded},
		{name: "png 8000x8000 RGBA zeros at the pixel limit", input: zeros(rgba(8000, 8000)), reason: string(PNG), bound: bounded},
		{name: "png 8000x8000 palette zeros at the pixel limit", input: zeros(pngHeader{8000, 8000, 8, 3, false}), reason: string(PNG), bound: bounded},
		{name: "png 9000x9000 grey zeros over the pixel limit", input: zeros(grey(9000, 9000)),
			kind: ErrTooLarge, reason: "9000x9000 = 81000000 pixels", bound: fromHeader},
		// Every depth streams: 16-bit and 1-bit at the pixel limit too,
		// 512 MB and 8 MB of rows inflated a few at a time.
		{name: "png 8000x8000 16-bit RGBA zeros at the pixel limit", input: zeros(pngHeader{8000, 8000, 16, 6, false}), reason: string(PNG), bound: bounded},
		{name: "png 8000x8000 1-bit grey zeros at the pixel limit", input: zeros(pngHeader{8000, 8000, 1, 0, false}), reason: string(PNG), bound: bounded},
		// Interlaced images, which image/png alone reads, at full size: refused
		// from the header when that is over the decode budget (4 bytes a pixel
		// of the limit).
		{name: "png 8000x8000 interlaced RGBA zeros", input: zeros(pngHeader{8000, 8000, 8, 6, true}),
			kind: ErrTooLarge, reason: "8-bit RGBA interlaced: decoding needs about 512 MB", bound: fromHeader},
		{name: "png 8000x8000 interlaced 16-bit RGBA zeros", input: zeros(pngHeader{8000, 8000, 16, 6, true}),
			kind: ErrTooLarge, reason: "decoding needs about 1024 MB", bound: fromHeader},
		// ...and decoded when within it.
		{name: "png 4000x4000 interlaced 16-bit RGBA zeros at the decode budget", input: zeros(pngHeader{4000, 4000, 16, 6, true}),
			reason: string(PNG), bound: fullSize(16 * 4000 * 4000)},
		{name: "png 5656x5656 interlaced RGBA zeros at the decode budget", input: zeros(pngHeader{5656, 5656, 8, 6, true}),
			reason: string(PNG), bound: fullSize(8 * 5656 * 5656)},
		// Image data too short to hold what the header declares: refused
		// before inflating, whichever decoder would have read it.
		{name: "png 8000x8000 RGBA header with a few bytes of data", input: truncated(rgba(8000, 8000)),
			kind: ErrCorrupt, reason: "bytes of image data cannot inflate to the 256008000 bytes of rows", bound: fromHeader},
		{name: "png 8000x8000 16-bit interlaced header with a few bytes of data", input: truncated(pngHeader{8000, 8000, 16, 6, true}),
			kind: ErrCorrupt, reason: "cannot inflate", bound: fromHeader},
		{name: "png 100x100 header without data", input: constant(pngWithHeader(100, 100)),
			kind: ErrCorrupt, reason: "0 bytes of image data", bound: fromHeader},
		// Metadata chunks of 40 MB, inside MaxBytes: read past, never copied.
		{name: "png with a 40 MB tEXt chunk", input: text("tEXt"), reason: string(PNG), bound: metadataOnly},
		{name: "png with a 40 MB zTXt chunk", input: text("zTXt"), reason: string(PNG), bound: metadataOnly},
		{name: "png with a 40 MB iTXt chunk", input: text("iTXt"), reason: string(PNG), bound: metadataOnly},
		{name: "png chunk declared larger than the file", input: func(testing.TB) []byte {
			b := pngWithHeader(64, 64)
			return append(b[:len(b)-12], 0x7F, 0xFF, 0xFF, 0xF0, 'I', 'D', 'A', 'T', 0, 0, 0, 0)
		}, kind: ErrCorrupt, bound: fromHeader},
	}
}
