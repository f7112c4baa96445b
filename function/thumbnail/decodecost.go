package thumbnail

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// This file estimates from headers alone what the decoders allocate, so a
// decode over the budget (Limits.decodeBudget) is refused before it starts.
// An estimate counts the pixel buffers the decoder holds and the copy the
// resizer makes of the image types it cannot filter directly (see resizable);
// buffers of a few rows and the coding tables are left out.
// TestDecodeCostEstimates holds the estimates to what the decoders allocate.

// overBudget refuses a decode estimated to allocate need bytes.
func overBudget(f Format, w, h int, what string, need, budget int64) error {
	return tooLarge("%s %dx%d %s: decoding needs about %d MB, decode budget %d MB",
		f, w, h, what, ceilMB(need), budget/1e6)
}

// ceilMB is n bytes in megabytes, rounded up.
func ceilMB(n int64) int64 { return (n + 1e6 - 1) / 1e6 }

// maxDeflateRatio is the most bytes one byte of deflate data inflates to: a
// match of 258 bytes coded in two bits.
const maxDeflateRatio = 1032

// pngLayout is what the chunks of a PNG declare, read without inflating anything.
type pngLayout struct {
	width, height    int64
	depth, colorType byte
	interlaced       bool
	transparency     bool  // a tRNS chunk
	dataBytes        int64 // image data present: the IDAT payloads, summed
}

// readPNGLayout reads IHDR and walks the chunks after it. A chunk cut short
// by the end of data counts for what is there.
func readPNGLayout(data []byte) pngLayout {
	const ihdrEnd = 8 + 8 + 13
	if len(data) < ihdrEnd {
		return pngLayout{}
	}
	l := pngLayout{
		width:      int64(binary.BigEndian.Uint32(data[16:])),
		height:     int64(binary.BigEndian.Uint32(data[20:])),
		depth:      data[24],
		colorType:  data[25],
		interlaced: data[28] == 1,
	}
	for i := 8; i+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		present := min(n, int64(len(data)-i-8))
		switch string(data[i+4 : i+8]) {
		case "IDAT":
			l.dataBytes += present
		case "tRNS":
			l.transparency = true
		case "IEND":
			return l
		}
		if present < n {
			break
		}
		i += 12 + int(n)
	}
	return l
}

// samples is the number of samples a pixel of the colour type has.
func (l pngLayout) samples() int64 {
	switch l.colorType {
	case 2:
		return 3
	case 4:
		return 2
	case 6:
		return 4
	}
	return 1 // grey, palette
}

// rawBytes is the length of the filtered scanlines the header implies: a
// filter byte and the packed samples of each row of each Adam7 pass, or of
// each row of the image when it is not interlaced.
func (l pngLayout) rawBytes() int64 {
	row := func(w int64) int64 { return 1 + (w*l.samples()*int64(l.depth)+7)/8 }
	if !l.interlaced {
		return l.height * row(l.width)
	}
	var n int64
	for _, p := range [7]struct{ x, y, dx, dy int64 }{
		{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
	} {
		w, h := (l.width-p.x+p.dx-1)/p.dx, (l.height-p.y+p.dy-1)/p.dy
		if w > 0 && h > 0 {
			n += h * row(w)
		}
	}
	return n
}

// dataTooShort reports whether the image data present cannot inflate to the
// scanlines the header declares, whatever it holds: the file is cut short.
func (l pngLayout) dataTooShort() bool {
	return l.dataBytes*maxDeflateRatio < l.rawBytes()
}

// fullSizeBytes is what image/png allocates for the whole image, with the
// resizer's RGBA copy of a paletted one. An interlaced image is decoded pass
// by pass into images of their own before being merged: twice the pixels.
func (l pngLayout) fullSizeBytes() int64 {
	px := l.width * l.height
	var perPixel int64 = 4 // NRGBA or RGBA
	switch {
	case l.colorType == 3:
		perPixel = 1 // Paletted
	case l.depth == 16 && l.colorType == 0 && !l.transparency:
		perPixel = 2 // Gray16
	case l.depth == 16:
		perPixel = 8 // NRGBA64 or RGBA64
	case l.colorType == 0 && !l.transparency:
		perPixel = 1 // Gray
	}
	n := px * perPixel
	if l.interlaced {
		n *= 2
	}
	if l.colorType == 3 {
		n += 4 * px
	}
	return n
}

// kind names the colour type and depth in messages.
func (l pngLayout) kind() string {
	names := map[byte]string{0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA"}
	s := fmt.Sprintf("%d-bit %s", l.depth, names[l.colorType])
	if l.interlaced {
		s += " interlaced"
	}
	return s
}

// jpegLayout is what the markers of a JPEG declare, read without decoding a scan.
type jpegLayout struct {
	width, height int64
	progressive   bool
	sampling      [][2]int64 // horizontal and vertical factors of each component
	rgb           bool       // three components image/jpeg reads as RGB, not YCbCr
	scans         int        // start of scan markers in the whole file
}

// readJPEGLayout walks the markers of a JPEG, stepping over the entropy-coded
// data of each scan, and reads the first frame header.
func readJPEGLayout(data []byte) jpegLayout {
	var (
		l              jpegLayout
		ids            []byte
		jfif, adobe    bool
		adobeTransform byte
	)
walk:
	for i := 2; i+1 < len(data); {
		if data[i] != 0xFF { // entropy-coded data: on to the next marker
			next := bytes.IndexByte(data[i:], 0xFF)
			if next < 0 {
				break
			}
			i += next
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x00 || m == 0x01 || m >= 0xD0 && m <= 0xD8: // stuffed byte, TEM, RSTn, SOI
			i += 2
			continue
		case m == 0xD9: // EOI
			break walk
		}
		if i+4 > len(data) {
			break
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 {
			break
		}
		seg := data[i+4 : min(i+2+n, len(data))]
		switch {
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC: // start of frame
			if l.sampling == nil && len(seg) >= 6 {
				l.progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE
				l.height = int64(binary.BigEndian.Uint16(seg[1:]))
				l.width = int64(binary.BigEndian.Uint16(seg[3:]))
				for c := seg[6:]; len(c) >= 3 && len(l.sampling) < int(seg[5]); c = c[3:] {
					ids = append(ids, c[0])
					l.sampling = append(l.sampling, [2]int64{max(1, int64(c[1]>>4)), max(1, int64(c[1]&15))})
				}
			}
		case m == 0xDA:
			l.scans++
		case m == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")):
			jfif = true
		case m == 0xEE && len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")):
			adobe, adobeTransform = true, seg[11]
		}
		i += 2 + n
	}
	// image/jpeg's rule: JFIF means YCbCr, else an Adobe transform of 0 or
	// components named R, G, B mean RGB.
	if len(ids) == 3 && !jfif {
		l.rgb = adobe && adobeTransform == 0 || !adobe && string(ids) == "RGB"
	}
	return l
}

// planeSamples is the number of samples of all the components, each plane
// padded to whole MCUs as the decoders allocate them.
func (l jpegLayout) planeSamples() int64 {
	if len(l.sampling) == 1 { // a lone component is coded block by block
		return ((l.width + 7) / 8 * 8) * ((l.height + 7) / 8 * 8)
	}
	var hMax, vMax int64 = 1, 1
	for _, s := range l.sampling {
		hMax, vMax = max(hMax, s[0]), max(vMax, s[1])
	}
	mcusX, mcusY := (l.width+8*hMax-1)/(8*hMax), (l.height+8*vMax-1)/(8*vMax)
	var n int64
	for _, s := range l.sampling {
		n += mcusX * s[0] * 8 * mcusY * s[1] * 8
	}
	return n
}

// bytesAt is what decoding at 1/denom allocates.
//   - 1: image/jpeg holds every sample, and for a progressive file every
//     coefficient too (a 32-bit one per sample); it converts CMYK and RGB
//     into a new image, which for CMYK the resizer copies once more to RGBA.
//   - 2 and 4: jpegn holds the scaled samples, twice over while it converts
//     them, and for a progressive file every coefficient of the full image.
//   - 8: the DC-only decoder holds one coefficient per block and the scaled
//     samples; planeSamples/8 covers both.
func (l jpegLayout) bytesAt(denom int) int64 {
	samples := l.planeSamples()
	var coefficients int64
	if l.progressive {
		coefficients = 4 * samples
	}
	switch denom {
	case 8:
		return samples / 8
	case 2, 4:
		return coefficients + 2*samples/int64(denom*denom)
	}
	px := l.width * l.height
	n := samples + coefficients
	switch {
	case len(l.sampling) == 4:
		n += 8 * px
	case l.rgb:
		n += 4 * px
	}
	return n
}

// kind names the frame in messages.
func (l jpegLayout) kind() string {
	s := "baseline"
	if l.progressive {
		s = "progressive"
	}
	return fmt.Sprintf("%s, %d components", s, len(l.sampling))
}

// gifBytesPerPixel is what image/gif and the decoder's first-frame handling
// allocate per pixel of the logical screen: the frame, one byte a pixel and at
// most the screen, then four bytes a pixel for either the canvas it is drawn
// on or the resizer's RGBA copy of it.
const gifBytesPerPixel = 5

// webpLayout is what the chunks of a WebP declare about its bitstream.
type webpLayout struct {
	lossless bool // VP8L, else VP8
	alpha    bool // a lossy image with an alpha chunk
}

// readWebPLayout walks the chunks of a RIFF WebP up to its bitstream.
func readWebPLayout(data []byte) webpLayout {
	var l webpLayout
	for i := 12; i+8 <= len(data); {
		size := int(binary.LittleEndian.Uint32(data[i+4:]))
		switch string(data[i : i+4]) {
		case "VP8L":
			l.lossless = true
			return l
		case "VP8 ":
			return l
		case "VP8X":
			if i+9 <= len(data) {
				l.alpha = data[i+8]&0x10 != 0
			}
		}
		if size < 0 || size > len(data)-i-8 {
			break
		}
		i += 8 + size + size&1
	}
	return l
}

// bytes is what golang.org/x/image/webp allocates for a w x h image.
//   - Lossy: 4:2:0 YCbCr over whole 16x16 macroblocks, 1.5 bytes a pixel.
//     An alpha channel adds its lossless-coded image (4), the plane taken
//     from it (1) and the resizer's RGBA copy of the result (4).
//   - Lossless: the ARGB pixels (4), and, when a colour-indexing transform
//     packs several pixels into one, the packed image too (at most 2).
//
// Left out: a lossless stream's Huffman tables, which the decoder caps at
// 2600 groups whatever the image size (a few hundred MB at worst; see the
// hostile-file tests).
func (l webpLayout) bytes(w, h int64) int64 {
	if l.lossless {
		return 6 * w * h
	}
	n := 384 * ((w + 15) / 16) * ((h + 15) / 16)
	if l.alpha {
		n += 9 * w * h
	}
	return n
}

// kind names the bitstream in messages.
func (l webpLayout) kind() string {
	switch {
	case l.lossless:
		return "lossless"
	case l.alpha:
		return "lossy with alpha"
	}
	return "lossy"
}
