package thumbnail

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/pngstream"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/scaledjpeg"
)

// scaledJPEG decodes a JPEG at 1/2, 1/4 or 1/8 scale when the thumbnail
// allows: the largest reduction that keeps both sides at least twice the
// target, so the resizer still has detail to filter from. A file the scaled
// decoders do not handle or reject is read by image/jpeg at full size, unless
// that would take more than the decode budget.
type scaledJPEG struct{}

func (scaledJPEG) config(data []byte) (image.Config, error) {
	return jpeg.DecodeConfig(bytes.NewReader(data))
}

func (scaledJPEG) decode(data []byte, targetW, targetH int, budget int64) (image.Image, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	l := readJPEGLayout(data)
	if l.scans > maxJPEGScans {
		return nil, tooLarge("jpeg has %d scans, limit %d", l.scans, maxJPEGScans)
	}
	denom := 1
	if scaledjpeg.Scales(data) {
		denom = scaledjpeg.Denom(cfg.Width, cfg.Height, targetW, targetH)
	}
	if need := l.bytesAt(denom); need > budget {
		return nil, overBudget(JPEG, cfg.Width, cfg.Height, l.kind(), need, budget)
	}
	if denom == 1 || l.bytesAt(1) <= budget {
		return scaledjpeg.Decode(data, denom)
	}
	return scaledjpeg.DecodeScaled(data, denom)
}

// streamedPNG decodes a PNG row by row into a box filter, shrinking it by the
// largest whole factor that keeps both sides at least twice the target,
// without holding the full-size image. A file the streamed decoder does not
// handle or rejects is read by image/png at full size, unless that would take
// more than the decode budget.
type streamedPNG struct{}

func (streamedPNG) config(data []byte) (image.Config, error) {
	return png.DecodeConfig(bytes.NewReader(data))
}

func (streamedPNG) decode(data []byte, targetW, targetH int, budget int64) (image.Image, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	l := readPNGLayout(data)
	if l.dataTooShort() {
		return nil, corrupt("png %dx%d: %d bytes of image data cannot inflate to the %d bytes of rows it declares",
			cfg.Width, cfg.Height, l.dataBytes, l.rawBytes())
	}
	k := pngstream.Factor(cfg.Width, cfg.Height, targetW, targetH)
	need := l.fullSizeBytes()
	if need <= budget {
		return pngstream.Decode(data, k)
	}
	if k == 1 || !pngstream.Streams(data) {
		return nil, overBudget(PNG, cfg.Width, cfg.Height, l.kind(), need, budget)
	}
	// Shrunk by k >= 2, the image and the rows held take at most a quarter
	// of what the full size would in RGBA, within the budget.
	return pngstream.DecodeShrunk(data, k)
}
