package thumbnail

import (
	"encoding/binary"
	"image"
)

// A GIF's first frame may reach past the logical screen its header declares.
// image/gif refuses such a file ("frame bounds larger than image bounds");
// ImageMagick, browsers and libvips show the frame, on a canvas grown to
// hold it. gifCanvas finds the first frame's bounds with a bounded walk of
// the blocks before it, and the canvas is their union with the screen: the
// limits and the decode budget then apply to what is really decoded.

// gifFirstFrame returns the bounds of the first image descriptor, walking
// the global colour table and the extension blocks before it; ok is false
// when the data ends or holds an unknown block first (the decoder then gives
// the verdict).
func gifFirstFrame(data []byte) (r image.Rectangle, ok bool) {
	const screenEnd = 13 // signature, logical screen descriptor
	if len(data) < screenEnd {
		return r, false
	}
	i := screenEnd
	if flags := data[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1) // global colour table
	}
	for i < len(data) {
		switch data[i] {
		case 0x2C: // image descriptor
			if i+9 > len(data) {
				return r, false
			}
			u := func(k int) int { return int(binary.LittleEndian.Uint16(data[i+1+2*k:])) }
			return image.Rect(u(0), u(1), u(0)+u(2), u(1)+u(3)), true
		case 0x21: // extension: label, then sub-blocks ending with a zero size
			i += 2
			for i < len(data) && data[i] != 0 {
				i += 1 + int(data[i])
			}
			i++
		default:
			return r, false
		}
	}
	return r, false
}

// withScreen returns a copy of a GIF whose logical screen is w x h, for
// image/gif to decode a first frame that reaches past the declared screen.
func withScreen(data []byte, w, h int) []byte {
	out := append([]byte(nil), data...)
	binary.LittleEndian.PutUint16(out[6:], uint16(w))
	binary.LittleEndian.PutUint16(out[8:], uint16(h))
	return out
}
