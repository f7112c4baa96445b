// Package pngstream decodes a PNG shrunk by an integer factor without ever
// holding the full-size image: rows are inflated, unfiltered and box-filtered
// one at a time, so memory is a few rows instead of width*height*4 bytes.
//
// It handles every non-interlaced PNG: grey, grey+alpha, RGB, RGBA and
// palette images at every bit depth, colour keys included. Interlaced
// images, and any file it rejects, are decoded by image/png at full size:
// image/png stays the reference for what is valid.
//
// ReadHeader is the one walk of a PNG's chunks the image core makes: IHDR,
// the image data's size, EXIF, the ICC profile and the colour chunks; its
// Header says whether DecodeShrunk handles the file (Streams).
package pngstream

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"io"
	"sync"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/inflate"
)

// Factor returns the shrink factor for a srcW x srcH PNG that is then resized
// to dstW x dstH: the largest that keeps both sides at least twice the
// target. 1 means no shrink.
func Factor(srcW, srcH, dstW, dstH int) int {
	if dstW < 1 || dstH < 1 {
		return 1
	}
	k := min(srcW/(2*dstW), srcH/(2*dstH), maxFactor)
	for ; k > 1; k-- {
		if (srcW+k-1)/k >= 2*dstW && (srcH+k-1)/k >= 2*dstH {
			return k
		}
	}
	return 1
}

// ShrunkSize is the size of a w x h PNG shrunk by factor k.
func ShrunkSize(w, h, k int) (int, int) {
	return (w + k - 1) / k, (h + k - 1) / k
}

// Decode decodes a PNG shrunk by factor k (see ShrunkSize), each pixel the
// mean of a k x k block, as an *image.Gray (grey without alpha) or an
// *image.RGBA. k is 1 to 4096; 1, and the kinds this package leaves to
// image/png, give image/png's full-size image.
func Decode(data []byte, k int) (image.Image, error) {
	if k < 1 || k > maxFactor {
		return nil, fmt.Errorf("shrink factor %d: want 1-%d", k, maxFactor)
	}
	if k > 1 {
		if img, err := decodeShrunk(data, k); err == nil {
			return img, nil
		}
	}
	return png.Decode(bytes.NewReader(data))
}

// DecodeShrunk is Decode without the fallback: it streams the PNG shrunk by
// k (2 to 4096) or fails, on the kinds this package leaves to image/png as on
// any file it rejects. It never holds the full-size image, so what it
// allocates is bounded by the shrunk size whatever the header declares.
func DecodeShrunk(data []byte, k int) (image.Image, error) {
	if k < 2 || k > maxFactor {
		return nil, fmt.Errorf("shrink factor %d: want 2-%d", k, maxFactor)
	}
	return decodeShrunk(data, k)
}

// header is the IHDR chunk with the palette and transparency that follow it.
type header struct {
	width, height int
	depth, ctype  byte
	interlaced    bool
	palette       [][4]uint8 // premultiplied RGBA of each index
	paletteAlpha  bool       // some palette entry is not opaque
	hasKey        bool       // a grey or RGB image's tRNS names a transparent colour
	key           [3]uint16  // that colour, as stored samples are compared with it
}

// PNG colour types, specification section 11.2.2.
const (
	ctGray      = 0
	ctRGB       = 2
	ctPalette   = 3
	ctGrayAlpha = 4
	ctRGBA      = 6
)

// inflaters keeps inflate.Readers, with their window and tables, across calls.
var inflaters sync.Pool

// decodeShrunk is the streaming decode; any error sends the caller to image/png.
func decodeShrunk(data []byte, k int) (image.Image, error) {
	if len(data) < len(signature) || string(data[:len(signature)]) != signature {
		return nil, formatError("missing signature")
	}
	cr := &chunkReader{file: data, pos: len(signature)}
	h, err := readHeader(cr)
	if err != nil {
		return nil, err
	}
	zr := inflater(&idatSource{chunks: cr})
	defer inflaters.Put(zr)
	img, err := decodeRows(h, zr, k)
	if err != nil {
		return nil, err
	}
	// All the image data must have been used, and the checksum must match.
	if n, err := zr.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		return nil, formatError("image data longer than %dx%d pixels", h.width, h.height)
	}
	if err := readTrailer(cr); err != nil {
		return nil, err
	}
	return img, nil
}

// inflater returns a pooled inflate.Reader of the zlib stream in src.
func inflater(src inflate.Source) *inflate.Reader {
	if zr, ok := inflaters.Get().(*inflate.Reader); ok {
		zr.Reset(src, true)
		return zr
	}
	return inflate.NewReader(src, true)
}

// readHeader reads IHDR and the chunks up to the first IDAT.
func readHeader(cr *chunkReader) (*header, error) {
	ch, err := cr.next()
	if err != nil {
		return nil, err
	}
	if ch.typ != "IHDR" || len(ch.data) != 13 {
		return nil, formatError("first chunk is %s, want a 13-byte IHDR", ch.typ)
	}
	w, hgt := binary.BigEndian.Uint32(ch.data), binary.BigEndian.Uint32(ch.data[4:])
	h := &header{width: int(w), height: int(hgt), depth: ch.data[8], ctype: ch.data[9], interlaced: ch.data[12] != 0}
	if w == 0 || hgt == 0 || w > 1<<24 || hgt > 1<<24 {
		return nil, formatError("image is %dx%d", w, hgt)
	}
	if ch.data[10] != 0 || ch.data[11] != 0 || ch.data[12] > 1 {
		return nil, formatError("unknown compression, filter or interlace method")
	}
	switch {
	case h.interlaced:
		return nil, errNotStreamable
	case h.ctype != ctGray && h.ctype != ctRGB && h.ctype != ctPalette && h.ctype != ctGrayAlpha && h.ctype != ctRGBA:
		return nil, formatError("colour type %d", h.ctype)
	case !validDepth(h.ctype, h.depth):
		return nil, formatError("bit depth %d for colour type %d", h.depth, h.ctype)
	}
	// The chunk order image/png enforces, so both decoders give a file the
	// same verdict: one IHDR, at most one PLTE, before tRNS.
	seenTRNS := false
	for {
		switch cr.peekType() {
		case "IDAT":
			if h.ctype == ctPalette && h.palette == nil {
				return nil, formatError("palette image without PLTE chunk")
			}
			return h, nil
		case "IEND", "":
			return nil, formatError("no image data")
		}
		ch, err := cr.next()
		if err != nil {
			return nil, err
		}
		switch ch.typ {
		case "IHDR":
			return nil, formatError("a second IHDR chunk")
		case "PLTE":
			switch {
			case h.palette != nil || seenTRNS:
				return nil, formatError("PLTE chunk out of order")
			case h.ctype == ctGray || h.ctype == ctGrayAlpha:
				return nil, formatError("PLTE chunk in a grey image")
			}
			if err := h.readPalette(ch.data); err != nil {
				return nil, err
			}
		case "tRNS":
			seenTRNS = true
			switch h.ctype {
			case ctPalette:
				err = h.readTransparency(ch.data)
			case ctGray, ctRGB:
				err = h.readKey(ch.data) // colour key: a transparent grey level or RGB value
			default:
				err = formatError("tRNS chunk in an image with alpha")
			}
			if err != nil {
				return nil, err
			}
		}
	}
}

// readPalette reads a PLTE chunk as opaque colours.
func (h *header) readPalette(p []byte) error {
	n := len(p) / 3
	if len(p)%3 != 0 || n < 1 || n > 256 {
		return formatError("PLTE chunk of %d bytes", len(p))
	}
	h.palette = make([][4]uint8, n)
	for i := range h.palette {
		h.palette[i] = [4]uint8{p[3*i], p[3*i+1], p[3*i+2], 255}
	}
	return nil
}

// readTransparency applies a palette's tRNS chunk, premultiplying the colours.
func (h *header) readTransparency(p []byte) error {
	if h.palette == nil || len(p) > len(h.palette) {
		return formatError("tRNS chunk of %d entries for a palette of %d", len(p), len(h.palette))
	}
	for i, a := range p {
		c := &h.palette[i]
		c[0], c[1], c[2], c[3] = premul(c[0], a), premul(c[1], a), premul(c[2], a), a
		if a != 255 {
			h.paletteAlpha = true
		}
	}
	return nil
}

// premul scales an 8-bit colour sample by an 8-bit alpha exactly as
// image/color does when an NRGBA pixel becomes an RGBA one.
func premul(c, a uint8) uint8 {
	return uint8(uint32(c) * 0x101 * uint32(a) * 0x101 / 0xffff >> 8)
}

// readTrailer reads the chunks after the image data, up to IEND.
func readTrailer(cr *chunkReader) error {
	for {
		ch, err := cr.next()
		if err != nil {
			return err
		}
		switch ch.typ {
		case "IEND":
			return nil
		case "IDAT", "IHDR", "PLTE":
			return formatError("%s chunk after the image data", ch.typ)
		}
	}
}
