package handler

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

func TestSpec(t *testing.T) {
	tests := []struct {
		opts thumbnail.Options
		want string
	}{
		{thumbnail.DefaultOptions(), "128x128 fill q85"},
		{thumbnail.Options{Width: 256, Height: 64, Mode: thumbnail.ModeFit, Quality: 70}, "256x64 fit q70"},
		{thumbnail.Options{Width: 1, Height: 1, Mode: thumbnail.ModeStretch, Quality: 100, Format: thumbnail.PNG}, "1x1 stretch q100"},
		// The WebP quality counts only for WebP thumbnails: changing it remakes those alone.
		{thumbnail.Options{Width: 128, Height: 128, Mode: thumbnail.ModeFill, Quality: 85, WebPQuality: 60, Format: thumbnail.WebP}, "128x128 fill q85 webp q60"},
	}
	for _, tt := range tests {
		if got := Spec(tt.opts); got != tt.want {
			t.Errorf("Spec(%+v) = %q, want %q", tt.opts, got, tt.want)
		}
	}
}

func TestUpToDate(t *testing.T) {
	const spec = "128x128 fill q85"
	tests := []struct {
		name     string
		metadata map[string]string
		etag     string
		want     bool
	}{
		{"same ETag and spec", map[string]string{"source-etag": "abc", "thumbnail-spec": spec}, `"abc"`, true},
		{"ETag quoted in metadata", map[string]string{"source-etag": `"abc"`, "thumbnail-spec": spec}, "abc", true},
		{"names in another case", map[string]string{"Source-Etag": "abc", "THUMBNAIL-SPEC": spec}, `"abc"`, true},
		{"other ETag", map[string]string{"source-etag": "abd", "thumbnail-spec": spec}, `"abc"`, false},
		{"other spec", map[string]string{"source-etag": "abc", "thumbnail-spec": "64x64 fill q85"}, `"abc"`, false},
		{"no spec (made before specs were recorded)", map[string]string{"source-etag": "abc"}, `"abc"`, false},
		{"no metadata", nil, `"abc"`, false},
		{"both ETags empty", map[string]string{"source-etag": "", "thumbnail-spec": spec}, "", false},
		{"multipart ETag", map[string]string{"source-etag": "d41d8cd98f00b204e9800998ecf8427e-12", "thumbnail-spec": spec}, `"d41d8cd98f00b204e9800998ecf8427e-12"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UpToDate(tt.metadata, tt.etag, spec); got != tt.want {
				t.Errorf("UpToDate(%v, %q) = %v, want %v", tt.metadata, tt.etag, got, tt.want)
			}
		})
	}
}
