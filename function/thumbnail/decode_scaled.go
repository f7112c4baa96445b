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
// target, so the resizer still has detail to filter from.
type scaledJPEG struct{}

func (scaledJPEG) config(data []byte) (image.Config, error) {
	return jpeg.DecodeConfig(bytes.NewReader(data))
}

func (scaledJPEG) decode(data []byte, targetW, targetH int) (image.Image, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return scaledjpeg.Decode(data, scaledjpeg.Denom(cfg.Width, cfg.Height, targetW, targetH))
}

// streamedPNG decodes a PNG row by row into a box filter, shrinking it by the
// largest whole factor that keeps both sides at least twice the target,
// without holding the full-size image.
type streamedPNG struct{}

func (streamedPNG) config(data []byte) (image.Config, error) {
	return png.DecodeConfig(bytes.NewReader(data))
}

func (streamedPNG) decode(data []byte, targetW, targetH int) (image.Image, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return pngstream.Decode(data, pngstream.Factor(cfg.Width, cfg.Height, targetW, targetH))
}
