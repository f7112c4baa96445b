package thumbnail

import (
	"bytes"
	"encoding/binary"
	"image"

	"golang.org/x/image/webp"
)

// webpCodec reads lossy WebP with internal/vp8 (webp_vp8.go) and lossless
// WebP with internal/vp8l (webp_vp8l.go), at full size, and writes lossy WebP with libwebp (encode_lossy.go), lossless
// where that fits better (webp_lossless.go).
var webpCodec = &codec{
	format:     WebP,
	mime:       "image/webp",
	extensions: []string{".webp"},
	signatures: []signature{{"RIFF\x00\x00\x00\x00WEBP", "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"}},
	readHeader: readWebPHeader,
	decode:     decodeWebP,
	encode:     encodeWebP,
}

// webpLayout is what the chunks of a WebP declare about its bitstream.
type webpLayout struct {
	lossless bool // VP8L, else VP8
	alpha    bool // a lossy image with an alpha chunk
}

// webpChunks is what one walk of a RIFF WebP's chunks finds.
type webpChunks struct {
	layout webpLayout
	exif   []byte // the whole EXIF chunk's payload
	icc    []byte // the whole ICCP chunk's payload
}

// readWebPHeader checks the header with golang.org/x/image/webp, the
// reference for what is valid, and walks the chunks once for everything else.
func readWebPHeader(data []byte) (header, error) {
	cfg, err := webp.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return header{}, err
	}
	c := walkWebP(data)
	colour := colourInfo{model: colourYCbCr, components: 3, bitDepth: 8, alpha: c.layout.alpha}
	if c.layout.lossless {
		colour = colourInfo{model: colourRGB, components: 4, bitDepth: 8, alpha: true}
	} else if c.layout.alpha {
		colour.components = 4
	}
	return header{
		width:       cfg.Width,
		height:      cfg.Height,
		orientation: exifOrientation(c.exif),
		icc:         iccProfile{data: copyICC(c.icc)},
		colour:      colour,
		layout:      c.layout,
	}, nil
}

// walkWebP walks the chunks of a RIFF WebP container: the bitstream kind is
// read from the chunks up to the first VP8 or VP8L chunk, the metadata from
// all of them. A chunk larger than the data ends the walk.
func walkWebP(data []byte) webpChunks {
	var c webpChunks
	bitstream := false
	for i := 12; i+8 <= len(data); {
		size := int(binary.LittleEndian.Uint32(data[i+4:]))
		whole := size >= 0 && size <= len(data)-i-8
		switch string(data[i : i+4]) {
		case "VP8L":
			if !bitstream {
				c.layout.lossless, bitstream = true, true
			}
		case "VP8 ":
			bitstream = true
		case "VP8X":
			if !bitstream && i+9 <= len(data) {
				c.layout.alpha = data[i+8]&0x10 != 0
			}
		case "EXIF":
			if whole && c.exif == nil {
				c.exif = data[i+8 : i+8+size]
			}
		case "ICCP":
			if whole && c.icc == nil {
				c.icc = data[i+8 : i+8+size]
			}
		}
		if !whole {
			break
		}
		i += 8 + size + size&1 // chunks are padded to an even size
	}
	return c
}

// decodeWebP decodes the whole image, unless that would take more than the budget.
func decodeWebP(data []byte, h *header, _, _ int, budget int64) (image.Image, error) {
	l := h.layout.(webpLayout)
	if need := l.bytes(int64(h.width), int64(h.height)); need > budget {
		return nil, overBudget(WebP, h.width, h.height, l.kind(), need, budget)
	}
	img, err := decodeWebPImage(data)
	if err != nil {
		return nil, err
	}
	expandVP8Range(img)
	return img, nil
}

// bytes is what decoding a w x h image allocates: internal/vp8 for lossy
// (with internal/vp8l for an alpha plane), internal/vp8l for lossless.
//   - Lossy: 4:2:0 YCbCr over whole 16x16 macroblocks, 1.5 bytes a pixel.
//     An alpha channel adds its lossless-coded image (4), the plane taken
//     from it (1) and the resizer's RGBA copy of the result (4).
//   - Lossless: the ARGB pixels (4), and, when a colour-indexing transform
//     packs several pixels into one, the packed image too (at most 2).
//
// Left out: a lossless stream's Huffman tables, which the decoder caps at
// 2600 groups whatever the image size (about 20 KB a group at worst, 52 MB
// in all; see the hostile-file tests).
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
