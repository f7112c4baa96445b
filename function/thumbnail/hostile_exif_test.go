package thumbnail

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// tiffEntry is one 12-byte IFD entry; value holds the value itself or its offset.
type tiffEntry struct {
	tag, typ     uint16
	count, value uint32
}

// orientationEntry is the orientation tag holding o.
func orientationEntry(o uint32) tiffEntry { return tiffEntry{tagOrientation, tiffShort, 1, o} }

// fillerEntries are n ImageDescription entries, each with its four characters inline.
func fillerEntries(n int) []tiffEntry {
	e := make([]tiffEntry, n)
	for i := range e {
		e[i] = tiffEntry{0x010E, 2, 4, binary.LittleEndian.Uint32([]byte("abc\x00"))}
	}
	return e
}

// exifTIFF is a little-endian TIFF structure whose header names firstIFD as
// the first IFD's offset, followed at offset 8 by one IFD of the entries,
// whose next-IFD offset is next.
func exifTIFF(firstIFD uint32, entries []tiffEntry, next uint32) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32([]byte("II*\x00"), firstIFD)
	b = le.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = le.AppendUint16(b, e.tag)
		b = le.AppendUint16(b, e.typ)
		b = le.AppendUint32(b, e.count)
		b = le.AppendUint32(b, e.value)
	}
	return le.AppendUint32(b, next)
}

// withEntryCount rewrites the entry count of the IFD at offset 8 of exifTIFF's structure.
func withEntryCount(tiff []byte, n uint16) []byte {
	out := append([]byte{}, tiff...)
	binary.LittleEndian.PutUint16(out[8:], n)
	return out
}

// withJPEGExifTIFF inserts an APP1 Exif segment holding tiff right after SOI.
func withJPEGExifTIFF(jpegData, tiff []byte) []byte {
	out := append([]byte{}, jpegData[:2]...)
	out = append(out, jpegSegment(0xE1, append([]byte("Exif\x00\x00"), tiff...))...)
	return append(out, jpegData[2:]...)
}

// withPNGChunk inserts a chunk right after IHDR.
func withPNGChunk(pngData []byte, kind string, payload []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	var b bytes.Buffer
	b.Write(pngData[:ihdrEnd])
	writePNGChunk(&b, kind, payload)
	b.Write(pngData[ihdrEnd:])
	return b.Bytes()
}

// wantOrientation checks the EXIF orientation Make applied.
func wantOrientation(want int) func(testing.TB, *Result) {
	return func(t testing.TB, r *Result) {
		if r.Orientation != want {
			t.Errorf("orientation %d, want %d", r.Orientation, want)
		}
	}
}

// hostileEXIF: IFDs that point at themselves or past the data, chains and
// loops, and entry counts in the thousands. Only the first IFD is read and
// every offset is checked, so none costs more than its bytes or loops.
func hostileEXIF() []hostileCase {
	const exifIFDPointer = 0x8769
	jpegWith := func(tiff []byte) func(testing.TB) []byte {
		return func(t testing.TB) []byte {
			return withJPEGExifTIFF(encodeJPEGBytes(t, quadrants(300, 200, red, green, blue, white)), tiff)
		}
	}
	pngWith := func(tiff []byte) func(testing.TB) []byte {
		return func(t testing.TB) []byte {
			return withPNGChunk(encodePNGBytes(t, quadrants(300, 200, red, green, blue, white)), "eXIf", tiff)
		}
	}
	many := func(n int, o uint32) []tiffEntry { return append(fillerEntries(n-1), orientationEntry(o)) }
	return []hostileCase{
		{name: "exif IFD of 5000 entries in a jpeg, orientation last", input: jpegWith(exifTIFF(8, many(5000, 6), 0)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(6)},
		{name: "exif IFD of 10000 entries in a png, orientation last", input: pngWith(exifTIFF(8, many(10000, 3), 0)),
			reason: string(PNG), bound: bounded, check: wantOrientation(3)},
		{name: "exif IFD declaring 65535 entries over the 2 present", input: jpegWith(withEntryCount(exifTIFF(8, many(2, 6), 0), 0xFFFF)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(6)},
		{name: "exif first IFD at offset 0, the header itself", input: jpegWith(exifTIFF(0, many(3, 6), 0)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(1)},
		{name: "exif first IFD offset past the data", input: jpegWith(exifTIFF(0xFFFFFFFF, many(3, 6), 0)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(1)},
		{name: "exif next IFD is the same IFD", input: jpegWith(exifTIFF(8, many(3, 8), 8)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(8)},
		{name: "exif sub-IFD pointer back to the first IFD", input: jpegWith(exifTIFF(8, append([]tiffEntry{{exifIFDPointer, tiffLong, 1, 8}}, orientationEntry(5)), 8)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(5)},
		{name: "exif orientation value out of range", input: jpegWith(exifTIFF(8, many(2, 0xFFFF), 0)),
			reason: string(JPEG), bound: bounded, check: wantOrientation(1)},
		{name: "png eXIf chunk of 40 MB, 65535 entries then garbage", input: func(t testing.TB) []byte {
			tiff := exifTIFF(8, many(65535, 7), 8)
			tiff = append(tiff, bytes.Repeat([]byte{0xFF}, 40<<20-len(tiff))...)
			return withPNGChunk(encodePNGBytes(t, quadrants(300, 200, red, green, blue, white)), "eXIf", tiff)
		}, reason: string(PNG), bound: metadataOnly, check: wantOrientation(7)},
	}
}
