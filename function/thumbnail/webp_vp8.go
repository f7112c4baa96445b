package thumbnail

import (
	"image"
	"io"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/vp8"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/vp8l"
)

// Lossy WebP is decoded by internal/vp8, our fork of golang.org/x/image/vp8
// with libwebp's boolean decoder, which gives x/image's planes (and
// libwebp's) byte for byte. Measured on this project's 2-core build
// machine, medians of decoding alone: noise at cwebp -q 100, 4.4 MB, 0.62 s
// with x/image, 0.36 s with the fork; a 12 MP photo 0.50 s against 0.37 s;
// 64 MP of one colour 0.48 s against 0.25 s; a 64 MP frame crafted for the
// most work per byte (208 KB) 1.6 s against 0.65 s. The cost still grows
// with the data, about 0.08 µs a byte of noise and 0.13 µs a byte of a
// frame crafted for the most arithmetic-decoded bits a macroblock (no
// faster than x/image, nor much slower than libwebp): the costliest lossy
// WebP of 50 MiB takes about 6.6 s of CPU here (libwebp's dwebp 5.1 s).
//
// The ALPH chunk of a lossy image with alpha is read as
// golang.org/x/image/webp reads it, its lossless-coded plane decoded by
// internal/vp8l (webp_vp8l.go) instead of x/image's vp8l, which took over
// a second for a few bytes declaring a large plane of one value.

// decodeVP8Chunk decodes a "VP8 " chunk whose declared size is size and of
// which the data holds chunk, with the VP8X canvas size when the file has
// one, and alpha, the plane of an ALPH chunk (nil when there is none).
func decodeVP8Chunk(chunk []byte, size int, seenVP8X bool, width, height uint32, alpha []byte) (image.Image, error) {
	d := vp8.NewDecoder()
	d.Init(chunk, size)
	fh, err := d.DecodeFrameHeader()
	if err != nil {
		return nil, err
	}
	if seenVP8X && (fh.Width != int(width) || fh.Height != int(height)) {
		return nil, errWebPFormat
	}
	m, err := d.DecodeFrame()
	if err != nil {
		return nil, err
	}
	if alpha != nil {
		return &image.NYCbCrA{YCbCr: *m, A: alpha, AStride: int(width)}, nil
	}
	return m, nil
}

// decodeAlphaChunk decodes an ALPH chunk of a width x height canvas, of
// which the data holds chunk, into an alpha plane, with
// golang.org/x/image/webp's verdicts.
func decodeAlphaChunk(chunk []byte, width, height uint32) ([]byte, error) {
	if len(chunk) == 0 {
		return nil, errWebPFormat // no header byte
	}
	header, body := chunk[0], chunk[1:]
	var alpha []byte
	switch header & 0x03 { // compression
	case 0:
		n := int(width) * int(height)
		if len(body) < n {
			if len(body) == 0 {
				return nil, io.EOF
			}
			return nil, io.ErrUnexpectedEOF
		}
		alpha = make([]byte, n)
		copy(alpha, body)
	case 1:
		// A VP8L stream without its 5-byte header: give it one with the
		// canvas size, no alpha hint and version 0.
		w1, h1 := width-1, height-1
		if w1 > 0x3fff || h1 > 0x3fff {
			return nil, errWebPFormat
		}
		stream := make([]byte, 5+len(body))
		copy(stream, []byte{0x2f, uint8(w1), uint8(w1>>8) | uint8(h1<<6), uint8(h1 >> 2), uint8(h1 >> 10)})
		copy(stream[5:], body)
		img, err := vp8l.Decode(stream)
		if err != nil {
			return nil, err
		}
		// The green values are the alpha values.
		alpha = make([]byte, len(img.Pix)/4)
		for i := range alpha {
			alpha[i] = img.Pix[4*i+1]
		}
	default:
		return nil, errWebPFormat
	}
	unfilterAlpha(alpha, int(width), (header>>2)&0x03)
	return alpha, nil
}

// unfilterAlpha undoes an ALPH chunk's prediction filter, as
// golang.org/x/image/webp does (the code is its own).
func unfilterAlpha(alpha []byte, alphaStride int, filter byte) {
	if len(alpha) == 0 || alphaStride == 0 {
		return
	}
	switch filter {
	case 1: // Horizontal filter.
		for i := 1; i < alphaStride; i++ {
			alpha[i] += alpha[i-1]
		}
		for i := alphaStride; i < len(alpha); i += alphaStride {
			// The first column is equivalent to the vertical filter.
			alpha[i] += alpha[i-alphaStride]

			for j := 1; j < alphaStride; j++ {
				alpha[i+j] += alpha[i+j-1]
			}
		}

	case 2: // Vertical filter.
		// The first row is equivalent to the horizontal filter.
		for i := 1; i < alphaStride; i++ {
			alpha[i] += alpha[i-1]
		}

		for i := alphaStride; i < len(alpha); i++ {
			alpha[i] += alpha[i-alphaStride]
		}

	case 3: // Gradient filter.
		// The first row is equivalent to the horizontal filter.
		for i := 1; i < alphaStride; i++ {
			alpha[i] += alpha[i-1]
		}

		for i := alphaStride; i < len(alpha); i += alphaStride {
			// The first column is equivalent to the vertical filter.
			alpha[i] += alpha[i-alphaStride]

			// The interior is predicted on the three top/left pixels.
			for j := 1; j < alphaStride; j++ {
				c := int(alpha[i+j-alphaStride-1])
				b := int(alpha[i+j-alphaStride])
				a := int(alpha[i+j-1])
				x := a + b - c
				if x < 0 {
					x = 0
				} else if x > 255 {
					x = 255
				}
				alpha[i+j] += uint8(x)
			}
		}
	}
}
