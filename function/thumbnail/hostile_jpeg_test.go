package thumbnail

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// jpegSpec describes a JPEG built by hand whose every coefficient is zero,
// so each block is mid-grey and costs one bit per scan it appears in: a DC
// difference of 0 or an end of block, each the only code of its table.
type jpegSpec struct {
	width, height int
	progressive   bool
	// sampling holds each component's horizontal and vertical factors;
	// four components are Adobe CMYK.
	sampling [][2]int
	// acScans is how many single-component AC scans a progressive file has
	// after its DC scan, spread over the components in turn.
	acScans int
	// scanBytes, when positive, cuts the entropy-coded data of every scan to
	// that many bytes; when negative, to none.
	scanBytes int
	// precision is the sample precision in bits; 0 means 8.
	precision byte
	// dcSymbol is the one symbol of the DC table: 0, a difference of 0, by
	// default; 16 is a difference no 8-bit file may code.
	dcSymbol byte
	// acSymbol is the one symbol of the AC table: 0x00, end of block, by
	// default; 0x01 codes one coefficient, so a block takes 63 codes.
	acSymbol byte
	// codeBits is the length of the one code of each table: 1 by default,
	// up to 16. The code is all zeros, the bits read past the data.
	codeBits int
	// sequentialScans is how many scans of every component a sequential
	// file has: 1 by default.
	sequentialScans int
	// rgbIDs names three components 'R', 'G', 'B' and adds an Adobe APP14
	// segment whose transform says YCbCr: image/jpeg's rule reads them as
	// RGB, at full size.
	rgbIDs bool
}

// jpegZeros builds the file jpegSpec describes.
func jpegZeros(s jpegSpec) []byte {
	b := []byte{0xFF, 0xD8}
	if len(s.sampling) == 4 {
		// Adobe APP14, transform 0: the four components are CMYK.
		b = append(b, jpegSegment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x00"))...)
	}
	if s.rgbIDs {
		b = append(b, jpegSegment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))...)
	}
	dqt := append([]byte{0x00}, make([]byte, 64)...)
	for i := 1; i < len(dqt); i++ {
		dqt[i] = 1
	}
	b = append(b, jpegSegment(0xDB, dqt)...)
	codeBits := max(s.codeBits, 1)
	oneCode := func(class byte, symbol byte) []byte { // a table holding one code of codeBits bits
		counts := make([]byte, 16)
		counts[codeBits-1] = 1
		p := append([]byte{class << 4}, counts...)
		return append(p, symbol)
	}
	b = append(b, jpegSegment(0xC4, append(oneCode(0, s.dcSymbol), oneCode(1, s.acSymbol)...))...)
	sof := byte(0xC0)
	if s.progressive {
		sof = 0xC2
	}
	frame := []byte{max(s.precision, 8)}
	frame = binary.BigEndian.AppendUint16(frame, uint16(s.height))
	frame = binary.BigEndian.AppendUint16(frame, uint16(s.width))
	frame = append(frame, byte(len(s.sampling)))
	hMax, vMax := 1, 1
	for i, f := range s.sampling {
		id := byte(i + 1)
		if s.rgbIDs {
			id = "RGB"[i]
		}
		frame = append(frame, id, byte(f[0]<<4|f[1]), 0)
		hMax, vMax = max(hMax, f[0]), max(vMax, f[1])
	}
	b = append(b, jpegSegment(sof, frame)...)
	mcus := ((s.width + 8*hMax - 1) / (8 * hMax)) * ((s.height + 8*vMax - 1) / (8 * vMax))
	perMCU := 0
	for _, f := range s.sampling {
		perMCU += f[0] * f[1]
	}
	// componentBlocks is how many blocks a scan of component i alone codes.
	componentBlocks := func(i int) int {
		w := (s.width*s.sampling[i][0] + hMax - 1) / hMax
		h := (s.height*s.sampling[i][1] + vMax - 1) / vMax
		return ((w + 7) / 8) * ((h + 7) / 8)
	}
	scan := func(comps []int, ss, se byte, bits int) {
		p := []byte{byte(len(comps))}
		for _, c := range comps {
			id := byte(c + 1)
			if s.rgbIDs {
				id = "RGB"[c]
			}
			p = append(p, id, 0x00)
		}
		p = append(p, ss, se, 0x00)
		b = append(b, jpegSegment(0xDA, p)...)
		n := (bits + 7) / 8
		if s.scanBytes != 0 {
			n = max(min(n, s.scanBytes), 0)
		}
		b = append(b, make([]byte, n)...)
	}
	all := make([]int, len(s.sampling))
	for i := range all {
		all[i] = i
	}
	if !s.progressive {
		for range max(s.sequentialScans, 1) {
			scan(all, 0, 63, 2*mcus*perMCU) // a DC difference and an end of block per block
		}
		return append(b, 0xFF, 0xD9)
	}
	scan(all, 0, 0, mcus*perMCU)
	for k := 0; k < s.acScans; k++ {
		c := k % len(s.sampling)
		scan([]int{c}, 1, 63, componentBlocks(c))
	}
	return append(b, 0xFF, 0xD9)
}

// withDCRefineScans adds n scans refining one more bit of every component's
// DC coefficients, each a header and one byte, before EOI.
func withDCRefineScans(data []byte, components, n int) []byte {
	out := append([]byte{}, data[:len(data)-2]...)
	for range n {
		p := []byte{byte(components)}
		for c := range components {
			p = append(p, byte(c+1), 0)
		}
		p = append(p, 0, 0, 0x10) // spectral selection 0-0, approximation bits 1 -> 0
		out = append(out, jpegSegment(0xDA, p)...)
		out = append(out, 0)
	}
	return append(out, 0xFF, 0xD9)
}

// withoutAdobe drops the Adobe APP14 segment jpegZeros writes right after SOI.
func withoutAdobe(data []byte) []byte {
	n := int(binary.BigEndian.Uint16(data[4:]))
	return append(append([]byte{}, data[:2]...), data[4+n:]...)
}

// withDHTSegments inserts n DHT segments after SOI, each defining DC table 0
// as the standard luminance table (ITU T.81 K.3).
func withDHTSegments(data []byte, n int) []byte {
	table := append([]byte{0x00, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	segment := jpegSegment(0xC4, table)
	out := make([]byte, 0, len(data)+n*len(segment))
	out = append(out, data[:2]...)
	for range n {
		out = append(out, segment...)
	}
	return append(out, data[2:]...)
}

// withAPPSegments inserts n application segments of the largest size after SOI.
func withAPPSegments(data []byte, marker byte, n int) []byte {
	segment := jpegSegment(marker, bytes.Repeat([]byte{0xA5}, 0xFFFF-2))
	out := append([]byte{}, data[:2]...)
	for range n {
		out = append(out, segment...)
	}
	return append(out, data[2:]...)
}

// hostileJPEG: declared sizes the data cannot back, scans without end, and
// kinds only a full-size decode reads.
func hostileJPEG() []hostileCase {
	ycc420 := [][2]int{{2, 2}, {1, 1}, {1, 1}}
	ycc444 := [][2]int{{1, 1}, {1, 1}, {1, 1}}
	cmyk := [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	build := func(s jpegSpec) func(testing.TB) []byte {
		return func(testing.TB) []byte { return jpegZeros(s) }
	}
	return []hostileCase{
		{name: "jpeg 8001x8000 header, pixels just over the limit", input: constant(jpegWithHeader(8001, 8000)),
			kind: ErrTooLarge, reason: "8001x8000 = 64008000 pixels, limit 64000000", bound: fromHeader},
		// The side limit is 65535, the largest a JPEG can declare. So long a
		// side is read at 1/2 by jpegn, which holds the scaled samples twice.
		{name: "jpeg 65535x976 baseline, the longest side", input: build(jpegSpec{width: 65535, height: 976, sampling: ycc420}),
			reason: string(JPEG), bound: fullSize(2 * 65535 * 976 * 3 / 2 / 4)},
		{name: "jpeg 8000x8000 baseline zeros at the pixel limit", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420}),
			reason: string(JPEG), bound: bounded},
		// A huge declared size over a few bytes of data: the DC-only decoder
		// stops where the data ends and refuses the file, as image/jpeg
		// does, without ever holding the full-size image. (libjpeg reads
		// zero bits on and makes a grey remainder.)
		{name: "jpeg 8000x8000 baseline header with 8 bytes of data", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420, scanBytes: 8}),
			kind: ErrCorrupt, reason: "scan data ends at MCU 6 of 250000", bound: bounded},
		{name: "jpeg 8000x8000 progressive header with 8 bytes a scan", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, progressive: true, acScans: 3, scanBytes: 8}),
			kind: ErrCorrupt, reason: "scan data ends at MCU 22 of 1000000", bound: bounded},
		// The CPU bomb: one 16-bit all-zero code per table and no data at
		// all. Decoding zero bits past the data, each scan of each block
		// would cost 64 Huffman decodes; repeated sequential scans would
		// multiply that (2.6 s for one scan, 269 s for 100, before).
		{name: "jpeg 8000x8000 4:4:4 16-bit codes and no scan data", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, codeBits: 16, acSymbol: 0x01, scanBytes: -1}),
			kind: ErrCorrupt, reason: "scan data ends at MCU 1 of 1000000", bound: bounded},
		{name: "jpeg 8000x8000 4:4:4 16-bit codes, 100 scans without data", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, codeBits: 16, acSymbol: 0x01, scanBytes: -1, sequentialScans: 100}),
			kind: ErrCorrupt, reason: "scan data ends at MCU 1 of 1000000", bound: bounded},
		// Each component is coded in one sequential scan: a second one is
		// refused, as libjpeg refuses it, before any of its data is read.
		{name: "jpeg 8000x8000 two full sequential scans", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420, sequentialScans: 2}),
			kind: ErrCorrupt, reason: "component 1 in a second sequential scan", bound: bounded},
		// Scans: each is a pass over every block.
		{name: "jpeg 8000x8000 progressive, 100 scans, the limit", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420, progressive: true, acScans: 99, scanBytes: 1}),
			kind: ErrCorrupt, reason: "scan data ends at MCU 2 of 250000", bound: bounded},
		{name: "jpeg 8000x8000 progressive, 100 scans with their data", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420, progressive: true, acScans: 99}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 8000x8000 progressive, 3000 AC scans", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420, progressive: true, acScans: 2999, scanBytes: 1}),
			kind: ErrTooLarge, reason: "jpeg has 3000 scans, limit 100", bound: fromHeader},
		{name: "jpeg 8000x8000 progressive, 1000 DC refinement scans", input: func(testing.TB) []byte {
			return withDCRefineScans(jpegZeros(jpegSpec{width: 8000, height: 8000, sampling: ycc420, progressive: true, scanBytes: 1}), 3, 1000)
		}, kind: ErrTooLarge, reason: "jpeg has 1001 scans, limit 100", bound: fromHeader},
		// Components named R, G, B under an Adobe marker saying YCbCr:
		// image/jpeg's rule makes them RGB, and the estimate goes by the
		// same rule (it once took them for YCbCr and let 447 MB through a
		// 256 MB budget). RGB and CMYK are read at 1/8 from the DC
		// coefficients alone; at a scale that needs image/jpeg's full-size
		// decode, over the budget, the 1/8 image stands in, and a full-size
		// thumbnail is refused.
		{name: "jpeg 8000x8000 ids R G B with Adobe transform 1", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, rgbIDs: true}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 8000x8000 ids R G B with Adobe transform 1, 1024 box", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, rgbIDs: true}),
			opts: Options{Width: 1024, Height: 1024}, reason: string(JPEG), bound: fullSize(2 * 4 * 1024 * 1024)}, // and two 1024x1024 RGBA buffers of the resize
		{name: "jpeg 8000x8000 ids R G B with Adobe transform 1, full-size box", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, rgbIDs: true}),
			opts: Options{Width: 4096, Height: 4096}, kind: ErrTooLarge, reason: "decode budget 256 MB", bound: fromHeader},
		{name: "jpeg 8000x8000 CMYK", input: build(jpegSpec{width: 8000, height: 8000, sampling: cmyk}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 8000x8000 CMYK, full-size box", input: build(jpegSpec{width: 8000, height: 8000, sampling: cmyk}),
			opts: Options{Width: 4096, Height: 4096}, kind: ErrTooLarge, reason: "baseline, 4 components: decoding needs about 768 MB, decode budget 256 MB", bound: fromHeader},
		{name: "jpeg 8000x8000 progressive CMYK", input: build(jpegSpec{width: 8000, height: 8000, sampling: cmyk, progressive: true, acScans: 4}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 8000x8000 progressive CMYK header with 8 bytes a scan", input: build(jpegSpec{width: 8000, height: 8000, sampling: cmyk, progressive: true, acScans: 4, scanBytes: 8}),
			kind: ErrCorrupt, reason: "scan data ends at MCU 17 of 1000000", bound: bounded},
		// Four components without an Adobe segment: image/jpeg cannot tell
		// CMYK from YCCK and refuses them after decoding them whole; the
		// DC-only decoder refuses them in the same words, at 1/8's cost.
		{name: "jpeg 8000x8000 4 components without an Adobe segment", input: func(testing.TB) []byte {
			return withoutAdobe(jpegZeros(jpegSpec{width: 8000, height: 8000, sampling: cmyk}))
		}, kind: ErrUnsupported, reason: "doesn't have Adobe APP14 metadata", bound: bounded},
		// Read at full size by image/jpeg: 12 bytes a pixel with the
		// conversions, 28 when progressive.
		{name: "jpeg 2000x2000 CMYK within the budget", input: build(jpegSpec{width: 2000, height: 2000, sampling: cmyk}),
			reason: string(JPEG), bound: fullSize(12 * 2000 * 2000)},
		// The largest RGB and CMYK files a full-size decode fits the
		// budget for: read at 1/8 from the DC coefficients (image/jpeg took
		// 1.1-1.3 s of CPU on them).
		{name: "jpeg 6040x6040 ids R G B at the decode budget", input: build(jpegSpec{width: 6040, height: 6040, sampling: ycc444, rgbIDs: true}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 4616x4616 CMYK at the decode budget", input: build(jpegSpec{width: 4616, height: 4616, sampling: cmyk}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 3016x3016 progressive CMYK at the decode budget", input: build(jpegSpec{width: 3016, height: 3016, sampling: cmyk, progressive: true, acScans: 4}),
			reason: string(JPEG), bound: bounded},
		// At 1/2 scale image/jpeg reads RGB and CMYK at full size when the
		// budget allows, after the DC-only decoder; when not, the 1/8
		// image stands in.
		{name: "jpeg 2000x2000 CMYK, 512 box", input: build(jpegSpec{width: 2000, height: 2000, sampling: cmyk}),
			opts: Options{Width: 512, Height: 512}, reason: string(JPEG), bound: fullSize(12*2000*2000 + 4*2000*2000/8)},
		// A panorama the default box reads at 1/4: image/jpeg would take
		// about a second over its 26 MP even with no data to decode.
		{name: "jpeg 16000x1600 ids R G B, read at 1/4", input: build(jpegSpec{width: 16000, height: 1600, sampling: ycc444, rgbIDs: true}),
			reason: string(JPEG), bound: bounded},
		{name: "jpeg 3016x3016 progressive CMYK, 1024 box", input: build(jpegSpec{width: 3016, height: 3016, sampling: cmyk, progressive: true, acScans: 4}),
			opts: Options{Width: 1024, Height: 1024}, reason: string(JPEG), bound: bounded},
		// At 1/2 scale jpegn keeps every coefficient of a progressive file.
		// (Asking the DC-only decoder whether it takes the file allocates
		// its coefficient planes: a sixteenth of a byte a sample.)
		{name: "jpeg 65535x976 progressive 4:4:4", input: build(jpegSpec{width: 65535, height: 976, sampling: ycc444, progressive: true, acScans: 3}),
			kind: ErrTooLarge, reason: "jpeg 65535x976 progressive, 3 components: decoding needs about 864 MB", bound: bounded},
		// A DC difference no 8-bit file may code: the DC-only decoder
		// rejects it, and image/jpeg, which would hold 15 bytes a pixel
		// first, is not tried.
		{name: "jpeg 8000x8000 progressive 4:4:4 the DC decoder rejects", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, progressive: true, dcSymbol: 16, scanBytes: 8}),
			kind: ErrCorrupt, reason: "DC difference of 16 bits", bound: bounded},
		// Baseline 4:2:0 at full size is 1.5 bytes a pixel: image/jpeg is tried, and fails.
		{name: "jpeg 8000x8000 baseline the DC decoder rejects", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc420, dcSymbol: 16, scanBytes: 8}),
			kind: ErrCorrupt, bound: fullSize(8000 * 8000 * 3 / 2)},
		{name: "jpeg 8000x8000 12-bit", input: build(jpegSpec{width: 8000, height: 8000, sampling: ycc444, precision: 12, scanBytes: 8}),
			kind: ErrUnsupported, reason: "unsupported JPEG feature: precision", bound: fromHeader},
		// 4x4 luma over 1x1 chroma is 18 blocks an MCU: no interleaved scan
		// may hold it (libjpeg's cjpeg refuses to write one); image/jpeg
		// and the DC-only decoder leave it unsupported.
		{name: "jpeg 4x4 luma sampling in one scan", input: build(jpegSpec{width: 64, height: 64, sampling: [][2]int{{4, 4}, {1, 1}, {1, 1}}}),
			kind: ErrUnsupported, reason: "luma/chroma subsampling ratio", bound: fromHeader},
		// Metadata: 600 application segments of 64 KB, 39 MB in all. At 1/2
		// scale jpegn reads from a copy of the input of its own: two copies.
		{name: "jpeg with 600 APP2 segments of 64 KB", input: func(t testing.TB) []byte {
			return withAPPSegments(encodeJPEGBytes(t, quadrants(600, 400, red, green, blue, white)), 0xE2, 600)
		}, reason: string(JPEG), bound: allocBound{fixed: metadataOnly.fixed, perInput: 2}},
		{name: "jpeg 2048x2048 with 600 APP1 segments of 64 KB", input: func(testing.TB) []byte {
			return withAPPSegments(jpegZeros(jpegSpec{width: 2048, height: 2048, sampling: ycc420}), 0xE1, 600)
		}, reason: string(JPEG), bound: metadataOnly},
		// A Huffman-table flood: 1.1 million DHT segments (36 MB) before a
		// small image. Tables are built when a scan uses them, once, not
		// for every definition (4.3 s of CPU before).
		{name: "jpeg with 1.1 million DHT segments", input: func(t testing.TB) []byte {
			return withDHTSegments(encodeJPEGBytes(t, quadrants(600, 400, red, green, blue, white)), 1_100_000)
		}, reason: string(JPEG), bound: allocBound{fixed: metadataOnly.fixed, perInput: 2}},
		{name: "jpeg segment declared longer than the file", input: constant([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0}),
			kind: ErrCorrupt, reason: "jpeg header", bound: fromHeader},
	}
}
