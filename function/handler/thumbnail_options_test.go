package handler

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// TestThumbnailOptionsCarriesEverySetting checks that the contract's defaults
// become the image core's, and that every setting reaches the options.
func TestThumbnailOptionsCarriesEverySetting(t *testing.T) {
	if got, want := ThumbnailOptions(contract.DefaultThumbnail()), thumbnail.DefaultOptions(); got != want {
		t.Errorf("ThumbnailOptions(DefaultThumbnail()) = %+v, want %+v", got, want)
	}
	in := contract.Thumbnail{Width: 256, Height: 64, Mode: contract.ModeFit, Quality: 70,
		Limits: contract.Limits{MaxBytes: 1000, MaxPixels: 2000, MaxSide: 300}}
	want := thumbnail.Options{Width: 256, Height: 64, Mode: thumbnail.ModeFit, Quality: 70,
		Limits: thumbnail.Limits{MaxBytes: 1000, MaxPixels: 2000, MaxSide: 300}}
	if got := ThumbnailOptions(in); got != want {
		t.Errorf("ThumbnailOptions(%+v) = %+v, want %+v", in, got, want)
	}
}
