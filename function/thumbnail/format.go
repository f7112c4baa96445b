package thumbnail

import (
	"fmt"
	"path"
	"strings"
)

// Format names an image encoding.
type Format string

// The formats the pipeline decodes. All four can also be encoded.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// ContentType is the MIME type of the format, "application/octet-stream" when unknown.
func (f Format) ContentType() string {
	switch f {
	case JPEG:
		return "image/jpeg"
	case PNG:
		return "image/png"
	case GIF:
		return "image/gif"
	case WebP:
		return "image/webp"
	}
	return "application/octet-stream"
}

// Encodable reports whether the pipeline can write this format.
func (f Format) Encodable() bool {
	switch f {
	case JPEG, PNG, GIF, WebP:
		return true
	}
	return false
}

// FormatFromName returns the format a file name's extension names
// (".jpg", ".JPEG", ".png", ".gif", ".webp"), or "" when it names none.
func FormatFromName(name string) Format {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return JPEG
	case ".png":
		return PNG
	case ".gif":
		return GIF
	case ".webp":
		return WebP
	}
	return ""
}

// ParseFormat turns a format name ("jpeg", "jpg", "png", "gif", "webp", any
// case) into a Format.
func ParseFormat(s string) (Format, error) {
	if f := FormatFromName("." + s); f != "" && !strings.ContainsAny(s, "./") {
		return f, nil
	}
	return "", fmt.Errorf("format %q: want jpeg, png, gif or webp", s)
}
