package pngstream

import "encoding/binary"

// validDepth reports whether the PNG specification (table 11.1) allows bit
// depth d for colour type ct, as image/png checks.
func validDepth(ct, d byte) bool {
	switch ct {
	case ctGray:
		return d == 1 || d == 2 || d == 4 || d == 8 || d == 16
	case ctPalette:
		return d == 1 || d == 2 || d == 4 || d == 8
	case ctRGB, ctGrayAlpha, ctRGBA:
		return d == 8 || d == 16
	}
	return false
}

// samplesPerPixel is the number of stored samples of a pixel.
func (h *header) samplesPerPixel() int {
	return map[byte]int{ctGray: 1, ctRGB: 3, ctPalette: 1, ctGrayAlpha: 2, ctRGBA: 4}[h.ctype]
}

// rowBytes is the length of one stored row, without its filter byte.
func (h *header) rowBytes() int { return (h.width*h.samplesPerPixel()*int(h.depth) + 7) / 8 }

// filterUnit is the distance, in bytes, between a byte and the one it is
// predicted from: a whole pixel, or one byte when pixels are smaller.
func (h *header) filterUnit() int { return max(1, h.samplesPerPixel()*int(h.depth)/8) }

// channels is the number of 8-bit samples a pixel becomes: 1 for grey, 3 for
// opaque colour, 4 for premultiplied RGBA when the image can be transparent.
func (h *header) channels() int {
	switch {
	case h.ctype == ctGray && !h.hasKey:
		return 1
	case h.ctype == ctRGB && !h.hasKey, h.ctype == ctPalette && !h.paletteAlpha:
		return 3
	}
	return 4
}

// storedAsSamples reports whether a stored row already is the shrinker's
// input (8-bit grey or RGB without a colour key), so it needs no expansion.
func (h *header) storedAsSamples() bool {
	return h.depth == 8 && !h.hasKey && (h.ctype == ctGray || h.ctype == ctRGB)
}

// readKey reads the tRNS chunk of a grey or RGB image: the one colour drawn
// transparent. As image/png does, an 8-bit (or smaller) image compares
// against the low byte of each key sample, scaled like the samples.
func (h *header) readKey(p []byte) error {
	want := 2
	if h.ctype == ctRGB {
		want = 6
	}
	if len(p) != want {
		return formatError("tRNS chunk of %d bytes for colour type %d", len(p), h.ctype)
	}
	for i := range want / 2 {
		h.key[i] = binary.BigEndian.Uint16(p[2*i:])
		if h.depth <= 8 {
			h.key[i] = uint16(uint8(p[2*i+1] * greyScale(h.depth)))
		}
	}
	h.hasKey = true
	return nil
}

// greyScale is what a sample of d bits (1, 2, 4, 8) is multiplied by to
// span 0-255.
func greyScale(d byte) uint8 {
	return map[byte]uint8{1: 0xff, 2: 0x55, 4: 0x11, 8: 1}[d]
}

// expand turns one unfiltered stored row into channels() 8-bit samples a
// pixel in dst, as image/png's pixels read through image/draw into RGBA:
// samples under 8 bits scaled up, 16-bit ones premultiplied at 16 bits and
// then cut to their high byte.
func (h *header) expand(dst, row []byte) error {
	switch {
	case h.ctype == ctPalette:
		return h.expandPalette(dst, row)
	case h.depth < 8:
		h.expandLowGrey(dst, row)
	case h.depth == 8:
		h.expand8(dst, row)
	default:
		h.expand16(dst, row)
	}
	return nil
}

// expandPalette looks each index up, unpacking indices under 8 bits.
func (h *header) expandPalette(dst, row []byte) error {
	ch := h.channels()
	d := int(h.depth)
	perByte, mask := 8/d, byte(1<<d-1)
	for x := 0; x < h.width; x++ {
		i := row[x/perByte] >> (8 - d*(x%perByte+1)) & mask
		if int(i) >= len(h.palette) {
			return formatError("palette index %d of %d", i, len(h.palette))
		}
		copy(dst[ch*x:ch*x+ch], h.palette[i][:ch])
	}
	return nil
}

// expandLowGrey unpacks 1, 2 or 4-bit grey, keyed or not.
func (h *header) expandLowGrey(dst, row []byte) {
	d := int(h.depth)
	perByte, mask, scale := 8/d, byte(1<<d-1), greyScale(h.depth)
	for x := 0; x < h.width; x++ {
		v := (row[x/perByte] >> (8 - d*(x%perByte+1)) & mask) * scale
		if !h.hasKey {
			dst[x] = v
			continue
		}
		p := dst[4*x : 4*x+4 : 4*x+4]
		if uint16(v) == h.key[0] {
			p[0], p[1], p[2], p[3] = 0, 0, 0, 0
		} else {
			p[0], p[1], p[2], p[3] = v, v, v, 0xff
		}
	}
}

// expand8 premultiplies 8-bit grey+alpha and RGBA and applies 8-bit keys.
func (h *header) expand8(dst, row []byte) {
	for x := 0; x < h.width; x++ {
		p := dst[4*x : 4*x+4 : 4*x+4]
		switch h.ctype {
		case ctGray: // keyed
			v := row[x]
			if uint16(v) == h.key[0] {
				p[0], p[1], p[2], p[3] = 0, 0, 0, 0
			} else {
				p[0], p[1], p[2], p[3] = v, v, v, 0xff
			}
		case ctRGB: // keyed
			s := row[3*x : 3*x+3 : 3*x+3]
			if uint16(s[0]) == h.key[0] && uint16(s[1]) == h.key[1] && uint16(s[2]) == h.key[2] {
				p[0], p[1], p[2], p[3] = 0, 0, 0, 0
			} else {
				p[0], p[1], p[2], p[3] = s[0], s[1], s[2], 0xff
			}
		case ctGrayAlpha:
			g, a := row[2*x], row[2*x+1]
			v := premul(g, a)
			p[0], p[1], p[2], p[3] = v, v, v, a
		case ctRGBA:
			s := row[4*x : 4*x+4 : 4*x+4]
			a := s[3]
			if a == 255 {
				copy(p, s)
				continue
			}
			p[0], p[1], p[2], p[3] = premul(s[0], a), premul(s[1], a), premul(s[2], a), a
		}
	}
}

// expand16 reads 16-bit samples: opaque ones keep their high byte; with
// alpha or a key, each colour is premultiplied at 16 bits first, as
// image/color does, then cut to 8. Each kind has its own loop: this runs
// over every sample of the largest files the budget admits.
func (h *header) expand16(dst, row []byte) {
	w := h.width
	switch {
	case h.ctype == ctRGBA:
		for x := 0; x < w; x++ {
			s, d := row[8*x:8*x+8:8*x+8], dst[4*x:4*x+4:4*x+4]
			switch a := sample16(s[6:]); a {
			case 0xffff:
				d[0], d[1], d[2], d[3] = s[0], s[2], s[4], 0xff
			case 0:
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
			default:
				d[0], d[1], d[2], d[3] = premul16(sample16(s), a), premul16(sample16(s[2:]), a), premul16(sample16(s[4:]), a), s[6]
			}
		}
	case h.ctype == ctGrayAlpha:
		for x := 0; x < w; x++ {
			s, d := row[4*x:4*x+4:4*x+4], dst[4*x:4*x+4:4*x+4]
			v := premul16(sample16(s), sample16(s[2:]))
			d[0], d[1], d[2], d[3] = v, v, v, s[2]
		}
	case h.ctype == ctRGB && !h.hasKey:
		for x := 0; x < w; x++ {
			s, d := row[6*x:6*x+6:6*x+6], dst[3*x:3*x+3:3*x+3]
			d[0], d[1], d[2] = s[0], s[2], s[4]
		}
	case h.ctype == ctRGB: // keyed: the key colour is transparent black
		for x := 0; x < w; x++ {
			s, d := row[6*x:6*x+6:6*x+6], dst[4*x:4*x+4:4*x+4]
			if sample16(s) == h.key[0] && sample16(s[2:]) == h.key[1] && sample16(s[4:]) == h.key[2] {
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
			} else {
				d[0], d[1], d[2], d[3] = s[0], s[2], s[4], 0xff
			}
		}
	case !h.hasKey: // grey
		for x := 0; x < w; x++ {
			dst[x] = row[2*x]
		}
	default: // keyed grey
		for x := 0; x < w; x++ {
			d := dst[4*x : 4*x+4 : 4*x+4]
			if sample16(row[2*x:]) == h.key[0] {
				d[0], d[1], d[2], d[3] = 0, 0, 0, 0
			} else {
				v := row[2*x]
				d[0], d[1], d[2], d[3] = v, v, v, 0xff
			}
		}
	}
}

// sample16 reads one big-endian 16-bit sample.
func sample16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

// premul16 is the 8-bit premultiplied form of a 16-bit colour sample under
// a 16-bit alpha, as color.NRGBA64's RGBA method and then RGBAModel give.
func premul16(c, a uint16) uint8 { return uint8(uint32(c) * uint32(a) / 0xffff >> 8) }
