package pngstream

import (
	"image"
	"io"
)

// decodeRows inflates, unfilters and shrinks every row of the image.
func decodeRows(h *header, zr io.Reader, k int) (image.Image, error) {
	rowBytes, ch := h.rowBytes(), h.channels()
	s := newShrinker(h.width, h.height, k, ch)
	// One buffer: the filter byte and row being read, then the row above.
	buf := make([]byte, 2*(1+rowBytes))
	cur, prev := buf[:1+rowBytes], buf[1+rowBytes:]
	var expanded []uint8 // the row as ch samples per pixel, when it differs from the stored row
	if !h.storedAsSamples() {
		expanded = make([]uint8, h.width*ch)
	}
	for y := 0; y < h.height; y++ {
		if _, err := io.ReadFull(zr, cur); err != nil {
			return nil, formatError("row %d of %d: %v", y, h.height, err)
		}
		if err := unfilter(cur[0], cur[1:], prev[1:], h.filterUnit()); err != nil {
			return nil, err
		}
		row := cur[1:]
		if expanded != nil {
			if err := h.expand(expanded, row); err != nil {
				return nil, err
			}
			row = expanded
		}
		s.addRow(row)
		cur, prev = prev, cur
	}
	return s.image(), nil
}
