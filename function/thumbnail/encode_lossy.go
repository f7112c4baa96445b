package thumbnail

import (
	"bytes"
	"context"
	"image"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"
)

// Output settings of the WebAssembly encoders.
const (
	// DefaultWebPQuality is the lossy WebP quality (1-100): a 128x128 photo
	// thumbnail is about 2 KB at 31-32 dB PSNR (see BENCHMARKS.md).
	DefaultWebPQuality = 75
	// webpMethod is libwebp's effort, 0-6; 4 is its default.
	webpMethod = 4
	// avifQuality and avifSpeed set libavif (aom): quality 60 of 100 keeps
	// a photo thumbnail above 30 dB; speed 10 of 10 encodes 128x128 in
	// tens of milliseconds instead of seconds.
	avifQuality = 60
	avifSpeed   = 10
)

// encodeWebP writes WebP: lossy at Options.WebPQuality with libwebp, alpha
// kept (libwebp codes the alpha plane losslessly, so edges never band); or
// lossless when the thumbnail has at most paletteColours colours: drawings,
// logos and screenshots, whose flat colours and sharp edges lossy coding
// would smear and which a lossless palette codes smaller anyway. (The
// pipeline also writes lossless WebP for a lossless WebP or GIF source.)
func encodeWebP(w *bytes.Buffer, img *image.NRGBA, o Options) error {
	if hasFewColours(img, paletteColours) {
		return encodeWebPLossless(w, img, o)
	}
	data, err := wasmcodec.EncodeWebP(context.Background(), img, o.WebPQuality, webpMethod, false)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// encodeAVIF writes AVIF (4:2:0, 8-bit) with libavif.
func encodeAVIF(w *bytes.Buffer, img *image.NRGBA, _ Options) error {
	data, err := wasmcodec.EncodeAVIF(context.Background(), img, avifQuality, avifSpeed, false)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// paletteColours is the most colours a thumbnail may have to be written as
// lossless WebP when its source was lossy or a PNG.
const paletteColours = 256

// hasFewColours reports whether img has at most n distinct colours.
func hasFewColours(img *image.NRGBA, n int) bool {
	seen := make(map[uint32]struct{}, n+1)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]
		for i := 0; i < len(row); i += 4 {
			seen[uint32(row[i])<<24|uint32(row[i+1])<<16|uint32(row[i+2])<<8|uint32(row[i+3])] = struct{}{}
			if len(seen) > n {
				return false
			}
		}
	}
	return true
}
