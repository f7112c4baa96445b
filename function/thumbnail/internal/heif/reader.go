package heif

import "encoding/binary"

// reader reads big-endian fields from a box body. The first read past the
// end sets err and every later read returns zero, so a parser reads a whole
// record and checks err once.
type reader struct {
	b   []byte
	off int
	err error
	box string // named in the truncation error
}

func (r *reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || n > len(r.b)-r.off {
		r.err = formatError("%s box truncated", r.box)
		return false
	}
	return true
}

func (r *reader) u8() uint8 {
	if !r.need(1) {
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16() uint16 {
	if !r.need(2) {
		return 0
	}
	v := binary.BigEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32() uint32 {
	if !r.need(4) {
		return 0
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64() uint64 {
	if !r.need(8) {
		return 0
	}
	v := binary.BigEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

// uint reads an unsigned field of size bytes (0, 4 or 8, as iloc declares them).
func (r *reader) uint(size int) uint64 {
	switch size {
	case 0:
		return 0
	case 4:
		return uint64(r.u32())
	case 8:
		return r.u64()
	}
	if r.err == nil {
		r.err = formatError("%s field size %d", r.box, size)
	}
	return 0
}

// id reads an item ID: 16 bits when wide is false, else 32.
func (r *reader) id(wide bool) uint32 {
	if wide {
		return r.u32()
	}
	return uint32(r.u16())
}

func (r *reader) fourcc() string {
	if !r.need(4) {
		return ""
	}
	v := string(r.b[r.off : r.off+4])
	r.off += 4
	return v
}

// fullBox reads the version and flags that open a FullBox.
func (r *reader) fullBox() (version uint8, flags uint32) {
	v := r.u32()
	return uint8(v >> 24), v & 0xFFFFFF
}

// cstring skips a NUL-terminated string; a string cut by the end of the box is allowed.
func (r *reader) cstring() {
	for r.err == nil && r.off < len(r.b) {
		c := r.b[r.off]
		r.off++
		if c == 0 {
			return
		}
	}
}

func (r *reader) left() int { return len(r.b) - r.off }
