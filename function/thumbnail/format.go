package thumbnail

import (
	"fmt"
	"path"
	"strings"
)

// Format names an image encoding.
type Format string

// The formats the pipeline decodes. All but HEIC can also be encoded.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	HEIC Format = "heic" // HEIF with HEVC-coded images
	AVIF Format = "avif" // HEIF with AV1-coded images
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
	case HEIC:
		return "image/heic"
	case AVIF:
		return "image/avif"
	}
	return "application/octet-stream"
}

// Extension is the file name extension of the format, with its dot.
func (f Format) Extension() string {
	switch f {
	case JPEG:
		return ".jpg"
	case "":
		return ""
	}
	return "." + string(f)
}

// Encodable reports whether the pipeline can write this format.
func (f Format) Encodable() bool {
	switch f {
	case JPEG, PNG, GIF, WebP, AVIF:
		return true
	}
	return false
}

// FormatFromName returns the format a file name's extension names
// (".jpg", ".JPEG", ".png", ".gif", ".webp", ".heic", ".avif"), or "" when it names none.
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
	case ".heic", ".heif", ".hif":
		return HEIC
	case ".avif":
		return AVIF
	}
	return ""
}

// ParseFormat turns the name of a format the pipeline writes ("jpeg", "jpg",
// "png", "gif", "webp", "avif", any case) into a Format.
func ParseFormat(s string) (Format, error) {
	if f := FormatFromName("." + s); f.Encodable() && !strings.ContainsAny(s, "./") {
		return f, nil
	}
	return "", fmt.Errorf("format %q: want jpeg, png, gif, webp or avif", s)
}
