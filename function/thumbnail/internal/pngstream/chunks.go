package pngstream

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

// signature starts every PNG file.
const signature = "\x89PNG\r\n\x1a\n"

// chunk is one PNG chunk; data aliases the file.
type chunk struct {
	typ  string
	data []byte
}

// chunkReader walks the chunks of a PNG held in memory, checking each CRC.
type chunkReader struct {
	file []byte
	pos  int
}

// next returns the chunk at the current position and moves past it.
func (c *chunkReader) next() (chunk, error) {
	if c.pos+8 > len(c.file) {
		return chunk{}, formatError("data ends inside a chunk header")
	}
	n := binary.BigEndian.Uint32(c.file[c.pos:])
	if n > 0x7fffffff || uint64(c.pos)+12+uint64(n) > uint64(len(c.file)) {
		return chunk{}, formatError("chunk of %d bytes does not fit the data", n)
	}
	end := c.pos + 8 + int(n)
	typ := string(c.file[c.pos+4 : c.pos+8])
	if crc32.ChecksumIEEE(c.file[c.pos+4:end]) != binary.BigEndian.Uint32(c.file[end:]) {
		return chunk{}, formatError("%s chunk: bad CRC", typ)
	}
	ch := chunk{typ: typ, data: c.file[c.pos+8 : end]}
	c.pos = end + 4
	return ch, nil
}

// peekType returns the type of the next chunk, "" at the end of the data.
func (c *chunkReader) peekType() string {
	if c.pos+8 > len(c.file) {
		return ""
	}
	return string(c.file[c.pos+4 : c.pos+8])
}

// idatSource yields the payloads of consecutive IDAT chunks, in place: the
// pieces of the zlib-compressed image data.
type idatSource struct {
	chunks *chunkReader
}

// Next implements inflate.Source. It returns io.EOF after the last IDAT chunk.
func (s *idatSource) Next() ([]byte, error) {
	if s.chunks.peekType() != "IDAT" {
		return nil, io.EOF
	}
	ch, err := s.chunks.next()
	if err != nil {
		return nil, err
	}
	return ch.data, nil
}
