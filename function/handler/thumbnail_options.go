package handler

import (
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// ThumbnailOptions turns the contract's plain thumbnail settings into the
// image core's options, output format left to the input.
func ThumbnailOptions(t contract.Thumbnail) thumbnail.Options {
	return thumbnail.Options{
		Width:   t.Width,
		Height:  t.Height,
		Mode:    thumbnail.Mode(t.Mode),
		Quality: t.Quality,
		Limits: thumbnail.Limits{
			MaxBytes:  t.Limits.MaxBytes,
			MaxPixels: t.Limits.MaxPixels,
			MaxSide:   t.Limits.MaxSide,
		},
	}
}
