package thumbnail

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"io"

	"golang.org/x/image/webp"

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
// so a file gets that package's verdict on its chunks; a file whose first
// image chunk is not VP8L, or that has an ALPH chunk, is left to
// golang.org/x/image/webp whole.

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

// decodeWebPLossless decodes a lossless WebP. ok is false, with no error,
// when the file is one for golang.org/x/image/webp instead.
func decodeWebPLossless(data []byte) (img *image.NRGBA, ok bool, err error) {
	payload, ok, err := vp8lPayload(data)
	if err != nil || !ok {
		return nil, ok, err
	}
	img, err = vp8l.Decode(payload)
	return img, true, err
}

// vp8lPayload finds the VP8L chunk's payload (as much of it as the data
// holds), checking the chunks before it as golang.org/x/image/webp does.
func vp8lPayload(data []byte) (payload []byte, ok bool, err error) {
	if len(data) < 8 || string(data[:4]) != "RIFF" {
		return nil, false, errRIFFHeader
	}
	riffLen := binary.LittleEndian.Uint32(data[4:])
	if riffLen < 4 || len(data) < 12 {
		return nil, false, errShortChunkData
	}
	if string(data[8:12]) != "WEBP" {
		return nil, false, errWebPFormat
	}
	total := riffLen - 4 // bytes of chunks the RIFF header declares
	pos := 12
	var (
		seenVP8X      bool
		width, height uint32
	)
	for {
		if total == 0 {
			return nil, false, errWebPFormat // no image chunk
		}
		if total < 8 {
			return nil, false, errShortChunkHeader
		}
		total -= 8
		if pos+8 > len(data) {
			return nil, false, errShortChunkHeader
		}
		id, size := string(data[pos:pos+4]), binary.LittleEndian.Uint32(data[pos+4:])
		pos += 8
		if size > total {
			return nil, false, errSubchunkTooLong
		}
		switch id {
		case "ALPH", "VP8 ":
			return nil, false, nil
		case "VP8L":
			payload = data[pos:min(len(data), pos+int(size))]
			if seenVP8X {
				if len(payload) < 5 {
					return nil, false, errWebPFormat
				}
				h, err := vp8l.DecodeHeader(payload[:5])
				if err != nil {
					return nil, false, err
				}
				if uint32(h.Width) != width || uint32(h.Height) != height {
					return nil, false, errWebPFormat
				}
			}
			return payload, true, nil
		case "VP8X":
			if seenVP8X || size != 10 {
				return nil, false, errWebPFormat
			}
			seenVP8X = true
			if pos+10 > len(data) {
				if pos == len(data) {
					return nil, false, io.EOF
				}
				return nil, false, io.ErrUnexpectedEOF
			}
			width = (uint32(data[pos+4]) | uint32(data[pos+5])<<8 | uint32(data[pos+6])<<16) + 1
			height = (uint32(data[pos+7]) | uint32(data[pos+8])<<8 | uint32(data[pos+9])<<16) + 1
			if uint64(width)*uint64(height) > 1<<31-1 {
				return nil, false, errWebPFormat
			}
		}
		// Skip the rest of the chunk, and its padding byte.
		if int64(pos)+int64(size) > int64(len(data)) {
			return nil, false, errShortChunkData
		}
		pos += int(size)
		total -= size
		if size&1 == 1 {
			if total == 0 {
				return nil, false, errSubchunkTooLong
			}
			total--
			if pos >= len(data) {
				return nil, false, errMissingPadding
			}
			pos++
		}
	}
}

// decodeWebPImage decodes a WebP of any kind at full size: lossless with
// internal/vp8l, the rest with golang.org/x/image/webp.
func decodeWebPImage(data []byte, lossless bool) (image.Image, error) {
	if lossless {
		img, ok, err := decodeWebPLossless(data)
		if ok || err != nil {
			if err != nil {
				return nil, err
			}
			return img, nil
		}
	}
	return webp.Decode(bytes.NewReader(data))
}
