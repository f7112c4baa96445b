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
		// auto: a key naming HEIC gets a JPEG, under the same key
		{"", "IMG_0001.HEIC", thumbnail.JPEG, "resized/IMG_0001.HEIC"},
		{"", "x.heif", thumbnail.JPEG, "resized/x.heif"},
		// auto: no image extension, the source's format (HEIC/AVIF: JPEG)
		{"", "uploads/42", "", "resized/uploads/42"},
		{"", "notes.txt", "", "resized/notes.txt"},
		// configured: that format, under the same key
		{thumbnail.WebP, "a/cat.jpg", thumbnail.WebP, "resized/a/cat.jpg"},
		{thumbnail.WebP, "a/cat.webp", thumbnail.WebP, "resized/a/cat.webp"},
		{thumbnail.WebP, "IMG_0001.HEIC", thumbnail.WebP, "resized/IMG_0001.HEIC"},
		{thumbnail.WebP, "uploads/42", thumbnail.WebP, "resized/uploads/42"},
		{thumbnail.AVIF, "cat.png", thumbnail.AVIF, "resized/cat.png"},
		{thumbnail.JPEG, "cat.jpeg", thumbnail.JPEG, "resized/cat.jpeg"},
		{thumbnail.JPEG, "cat.avif", thumbnail.JPEG, "resized/cat.avif"},
	}
	for _, tt := range tests {
		f := outputFormat(tt.configured, tt.key)
		o := outputs{prefix: "resized/", format: tt.configured}
		if got := o.key(tt.key); f != tt.want || got != tt.outKey {
			t.Errorf("format %q, key %q: got %q at %q, want %q at %q", tt.configured, tt.key, f, got, tt.want, tt.outKey)
		}
		// With the default format the key's extension agrees with the
		// bytes whenever it names a format the pipeline writes.
		if named := thumbnail.FormatFromName(o.key(tt.key)); tt.configured == "" && named.Encodable() && named != f {
			t.Errorf("%q names %s, thumbnail is %s", o.key(tt.key), named, f)
		}
	}
}
