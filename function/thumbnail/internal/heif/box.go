package heif

import "encoding/binary"

// box is one ISO BMFF box: its four-character type and its body (the bytes
// after the size and type), with the body's offset in the file.
type box struct {
	typ  string
	body []byte
	off  int
}

// walker counts the boxes visited so the whole walk stays within MaxBoxes.
type walker struct {
	boxes int
}

// children splits data (found at offset base in the file) into boxes. A size
// of 0, meaning "to the end of the file", is accepted at the top level only.
// Every box must fit in data: nothing is read past the parent's end, and a
// box's size always moves forward, so no box can contain itself.
func (w *walker) children(data []byte, base, depth int, top bool) ([]box, error) {
	if depth > MaxDepth {
		return nil, limitError("boxes nested deeper than %d", MaxDepth)
	}
	var out []box
	for off := 0; off < len(data); {
		if w.boxes++; w.boxes > MaxBoxes {
			return nil, limitError("more than %d boxes", MaxBoxes)
		}
		if len(data)-off < 8 {
			return nil, formatError("box header truncated at offset %d", base+off)
		}
		size := uint64(binary.BigEndian.Uint32(data[off:]))
		typ := string(data[off+4 : off+8])
		header := uint64(8)
		switch size {
		case 0:
			if !top {
				return nil, formatError("%q box at offset %d: size 0 inside a box", printable(typ), base+off)
			}
			size = uint64(len(data) - off)
		case 1:
			if len(data)-off < 16 {
				return nil, formatError("%q box at offset %d: 64-bit size truncated", printable(typ), base+off)
			}
			size = binary.BigEndian.Uint64(data[off+8:])
			header = 16
		}
		if size < header {
			return nil, formatError("%q box at offset %d: size %d is smaller than its header", printable(typ), base+off, size)
		}
		if size > uint64(len(data)-off) {
			return nil, formatError("%q box at offset %d: size %d runs past the end (%d bytes left)", printable(typ), base+off, size, len(data)-off)
		}
		end := off + int(size)
		out = append(out, box{typ: typ, body: data[off+int(header) : end], off: base + off + int(header)})
		off = end
	}
	return out, nil
}

// printable replaces bytes outside printable ASCII so a hostile box type
// cannot put control characters into an error line.
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7E {
			b[i] = '?'
		}
	}
	return string(b)
}
