package handler

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

func TestOutputFormat(t *testing.T) {
	tests := []struct {
		configured thumbnail.Format
		key        string
		want       thumbnail.Format
		outKey     string
	}{
		// auto: the key's extension when the pipeline writes it
		{"", "a/cat.jpg", thumbnail.JPEG, "resized/a/cat.jpg"},
		{"", "a/cat.PNG", thumbnail.PNG, "resized/a/cat.PNG"},
		{"", "a/cat.webp", thumbnail.WebP, "resized/a/cat.webp"},
		{"", "a/cat.avif", thumbnail.AVIF, "resized/a/cat.avif"},
		// auto: a key naming HEIC gets a JPEG and says so
		{"", "IMG_0001.HEIC", thumbnail.JPEG, "resized/IMG_0001.HEIC.jpg"},
		{"", "x.heif", thumbnail.JPEG, "resized/x.heif.jpg"},
		// auto: no image extension, the source's format (HEIC/AVIF: JPEG)
		{"", "uploads/42", "", "resized/uploads/42"},
		{"", "notes.txt", "", "resized/notes.txt"},
		// configured: that format; the key gains its extension when it names another
		{thumbnail.WebP, "a/cat.jpg", thumbnail.WebP, "resized/a/cat.jpg.webp"},
		{thumbnail.WebP, "a/cat.webp", thumbnail.WebP, "resized/a/cat.webp"},
		{thumbnail.WebP, "IMG_0001.HEIC", thumbnail.WebP, "resized/IMG_0001.HEIC.webp"},
		{thumbnail.WebP, "uploads/42", thumbnail.WebP, "resized/uploads/42"},
		{thumbnail.AVIF, "cat.png", thumbnail.AVIF, "resized/cat.png.avif"},
		{thumbnail.JPEG, "cat.jpeg", thumbnail.JPEG, "resized/cat.jpeg"},
		{thumbnail.JPEG, "cat.avif", thumbnail.JPEG, "resized/cat.avif.jpg"},
	}
	for _, tt := range tests {
		f, _ := outputFormat(tt.configured, tt.key)
		o := outputs{prefix: "resized/", format: tt.configured}
		if got := o.key(tt.key); f != tt.want || got != tt.outKey {
			t.Errorf("format %q, key %q: got %q at %q, want %q at %q", tt.configured, tt.key, f, got, tt.want, tt.outKey)
		}
		// The key's extension never contradicts the bytes.
		if named := thumbnail.FormatFromName(o.key(tt.key)); named != "" && f != "" && named != f {
			t.Errorf("%q names %s, thumbnail is %s", o.key(tt.key), named, f)
		}
	}
}
