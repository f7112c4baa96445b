package thumbnail

import (
	"encoding/binary"
	"errors"
	"image"
	"io"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/vp8l"
)

// Lossless WebP is decoded by internal/vp8l, our fork of
// golang.org/x/image/vp8l that reads from memory with a 64-bit bit buffer
// and Huffman lookup tables, with the same pixels (libwebp's where the two
// libraries differ: see the package's doc). Measured on this project's
// 2-core build machine, CPU per decode: a 34-byte file declaring 4000x4000
// pixels of one colour 1.1-1.3 s with x/image, 45-80 ms with the fork; a
// 16 MP photo-like image written by cwebp 0.84-1.0 s against 0.45-0.52 s
// (libwebp's dwebp: 0.40-0.46 s); 2600 groups of the largest Huffman trees
// 0.5-0.67 s and 204 MB allocated against 0.18 s and 37 MB.
//
// libwebp through the WebAssembly build in internal/wasmcodec was the other
// candidate, measured and not taken: the build's decode export gives a
// still image as 4:2:0 YUV (lossy for a lossless file) and RGBA only through
// its animation decoder, premultiplied (lossy for translucent pixels), so it
// cannot give libwebp's exact pixels without rebuilding the module; its
// first use in a process compiles for 0.4-1 s of CPU; and then it took
// 0.56-1.1 s for the one-colour file and 1.3-1.4 s for the 16 MP photo, in
// 244-264 MB of module memory.
//
// The RIFF container is walked here as golang.org/x/image/webp walks it,
// so a file gets that package's verdict on its chunks; lossy images (VP8,
// with or without an ALPH chunk) are decoded by webp_vp8.go.

// errWebPFormat is golang.org/x/image/webp's message for a bad container.
var errWebPFormat = errors.New("webp: invalid format")

// RIFF errors, as golang.org/x/image/riff words them.
var (
	errRIFFHeader       = errors.New("riff: missing RIFF chunk header")
	errShortChunkData   = errors.New("riff: short chunk data")
	errShortChunkHeader = errors.New("riff: short chunk header")
	errSubchunkTooLong  = errors.New("riff: list subchunk too long")
	errMissingPadding   = errors.New("riff: missing padding byte")
)

// decodeWebPImage decodes a WebP of any kind at full size: lossless with
// internal/vp8l, lossy with internal/vp8 (webp_vp8.go). It walks the chunks
// up to the image chunk, checking them as golang.org/x/image/webp does, and
// decodes an ALPH chunk where it finds it, as that package does.
func decodeWebPImage(data []byte) (image.Image, error) {
	if len(data) < 8 || string(data[:4]) != "RIFF" {
		return nil, errRIFFHeader
	}
	riffLen := binary.LittleEndian.Uint32(data[4:])
	if riffLen < 4 || len(data) < 12 {
		return nil, errShortChunkData
	}
	if string(data[8:12]) != "WEBP" {
		return nil, errWebPFormat
	}
	total := riffLen - 4 // bytes of chunks the RIFF header declares
	pos := 12
	var (
		seenVP8X, wantAlpha bool
		width, height       uint32
		alpha               []byte
	)
	for {
		if total == 0 {
			return nil, errWebPFormat // no image chunk
		}
		if total < 8 {
			return nil, errShortChunkHeader
		}
		total -= 8
		if pos+8 > len(data) {
			return nil, errShortChunkHeader
		}
		id, size := string(data[pos:pos+4]), binary.LittleEndian.Uint32(data[pos+4:])
		pos += 8
		if size > total {
			return nil, errSubchunkTooLong
		}
		chunk := data[pos:min(len(data), pos+int(size))] // as much as the data holds
		switch id {
		case "ALPH":
			if !wantAlpha {
				return nil, errWebPFormat
			}
			wantAlpha = false
			var err error
			if alpha, err = decodeAlphaChunk(chunk, width, height); err != nil {
				return nil, err
			}
		case "VP8 ":
			if wantAlpha || int32(size) < 0 {
				return nil, errWebPFormat
			}
			return decodeVP8Chunk(chunk, int(size), seenVP8X, width, height, alpha)
		case "VP8L":
			if alpha != nil {
				return nil, errWebPFormat
			}
			if seenVP8X {
				if len(chunk) < 5 {
					return nil, errWebPFormat
				}
				h, err := vp8l.DecodeHeader(chunk[:5])
				if err != nil {
					return nil, err
				}
				if uint32(h.Width) != width || uint32(h.Height) != height {
					return nil, errWebPFormat
				}
			}
			return vp8l.Decode(chunk)
		case "VP8X":
			if seenVP8X || size != 10 {
				return nil, errWebPFormat
			}
			seenVP8X = true
			if pos+10 > len(data) {
				if pos == len(data) {
					return nil, io.EOF
				}
				return nil, io.ErrUnexpectedEOF
			}
			wantAlpha = data[pos]&0x10 != 0
			width = (uint32(data[pos+4]) | uint32(data[pos+5])<<8 | uint32(data[pos+6])<<16) + 1
			height = (uint32(data[pos+7]) | uint32(data[pos+8])<<8 | uint32(data[pos+9])<<16) + 1
			if uint64(width)*uint64(height) > 1<<31-1 {
				return nil, errWebPFormat
			}
		}
		// Skip the rest of the chunk, and its padding byte.
		if int64(pos)+int64(size) > int64(len(data)) {
			return nil, errShortChunkData
		}
		pos += int(size)
		total -= size
		if size&1 == 1 {
			if total == 0 {
				return nil, errSubchunkTooLong
			}
			total--
			if pos >= len(data) {
				return nil, errMissingPadding
			}
			pos++
		}
	}
}
