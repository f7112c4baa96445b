package thumbnail

import "testing"

// hostileSeeds are the hostile-file suite's structures at sizes small enough
// to fuzz from: each gives the fuzzer a way into a decoder path a plain image
// does not take (scans, frames, Huffman groups, IFD loops, short image data).
func hostileSeeds(t testing.TB) [][]byte {
	ycc420 := [][2]int{{2, 2}, {1, 1}, {1, 1}}
	cmyk := [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	small := func() []byte { return encodeJPEGBytes(t, quadrants(24, 16, red, green, blue, white)) }
	return [][]byte{
		jpegZeros(jpegSpec{width: 64, height: 48, sampling: ycc420}),
		jpegZeros(jpegSpec{width: 64, height: 48, sampling: ycc420, progressive: true, acScans: 3}),
		jpegZeros(jpegSpec{width: 64, height: 48, sampling: cmyk, progressive: true, acScans: 4}),
		jpegZeros(jpegSpec{width: 64, height: 48, sampling: ycc420, dcSymbol: 16}),
		withDCRefineScans(jpegZeros(jpegSpec{width: 64, height: 48, sampling: ycc420, progressive: true}), 3, 4),
		pngZeros(t, pngHeader{40, 30, 16, 6, false}),
		pngZeros(t, pngHeader{40, 30, 8, 3, true}),
		pngZeros(t, pngHeader{40, 30, 8, 0, false}, pngChunk{"tRNS", []byte{0, 0}}),
		pngTruncated(t, pngHeader{4000, 3000, 8, 6, false}),
		gifFile(40, 30, gifFrame{2, 2, 20, 20, lzwZeros(t, 400)}),
		gifFile(40, 30, gifFrame{30, 0, 20, 20, lzwZeros(t, 400)}),
		vp8lManyGroups(16, 16, 16, true),
		vp8lSolid(40, 30, 11),
		riffWebP(vp8Chunk(40, 30, 10, 10)),
		withJPEGExifTIFF(small(), exifTIFF(8, append(fillerEntries(3), orientationEntry(6)), 8)),
		withJPEGExifTIFF(small(), exifTIFF(0, fillerEntries(2), 0)),
	}
}
