package vp8l

// BitWriter packs a VP8L bitstream as the format reads it: values least
// significant bit first, Huffman codes first bit first. The lossless WebP
// encoder writes with it, and the tests build crafted streams with it.
type BitWriter struct {
	out []byte
	acc uint64
	n   uint
}

// Grow reserves room for n more bytes.
func (w *BitWriter) Grow(n int) {
	w.out = append(make([]byte, 0, len(w.out)+n), w.out...)
}

// Write appends the n (at most 32) low bits of v.
func (w *BitWriter) Write(v uint32, n uint) {
	w.acc |= uint64(v&(1<<n-1)) << w.n
	w.n += n
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

// WriteCode appends a Huffman code c of the given length, its first bit
// (the most significant) first.
func (w *BitWriter) WriteCode(c uint32, length uint32) {
	for i := int(length) - 1; i >= 0; i-- {
		w.Write(c>>uint(i), 1)
	}
}

// Flush writes out the last partial byte, zero padded, and returns the stream.
func (w *BitWriter) Flush() []byte {
	if w.n > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.n = 0, 0
	}
	return w.out
}
