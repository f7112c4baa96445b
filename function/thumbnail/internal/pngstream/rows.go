package pngstream

import (
	"image"
	"io"
)

// decodeRows inflates, unfilters and shrinks every row of the image.
func decodeRows(h *header, zr io.Reader, k int) (image.Image, error) {
	bpp := map[byte]int{ctGray: 1, ctRGB: 3, ctPalette: 1, ctGrayAlpha: 2, ctRGBA: 4}[h.ctype]
	rowBytes := h.width * bpp
	ch := 3
	switch {
	case h.ctype == ctGray:
		ch = 1
	case h.ctype == ctGrayAlpha || h.ctype == ctRGBA || (h.ctype == ctPalette && h.paletteAlpha):
		ch = 4
	}
	s := newShrinker(h.width, h.height, k, ch)
	// One buffer: the filter byte and row being read, then the row above.
	buf := make([]byte, 2*(1+rowBytes))
	cur, prev := buf[:1+rowBytes], buf[1+rowBytes:]
	var expanded []uint8 // the row as ch samples per pixel, when it differs from the stored row
	if h.ctype != ctGray && h.ctype != ctRGB {
		expanded = make([]uint8, h.width*ch)
	}
	for y := 0; y < h.height; y++ {
		if _, err := io.ReadFull(zr, cur); err != nil {
			return nil, formatError("row %d of %d: %v", y, h.height, err)
		}
		if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
			return nil, err
		}
		row := cur[1:]
		switch h.ctype {
		case ctGrayAlpha:
			for x := 0; x < h.width; x++ {
				g, a := row[2*x], row[2*x+1]
				v := premul(g, a)
				expanded[4*x], expanded[4*x+1], expanded[4*x+2], expanded[4*x+3] = v, v, v, a
			}
			row = expanded
		case ctRGBA:
			for x := 0; x < h.width; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				e := expanded[4*x : 4*x+4 : 4*x+4]
				a := p[3]
				if a == 255 {
					copy(e, p)
					continue
				}
				e[0], e[1], e[2], e[3] = premul(p[0], a), premul(p[1], a), premul(p[2], a), a
			}
			row = expanded
		case ctPalette:
			for x, i := range row {
				if int(i) >= len(h.palette) {
					return nil, formatError("palette index %d of %d", i, len(h.palette))
				}
				copy(expanded[ch*x:ch*x+ch], h.palette[i][:ch])
			}
			row = expanded
		}
		s.addRow(row)
		cur, prev = prev, cur
	}
	return s.image(), nil
}
