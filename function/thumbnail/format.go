package thumbnail

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Format names an image encoding.
type Format string

// The formats the pipeline decodes. All but HEIC can also be encoded. What
// the pipeline knows of each is its codec, in the file named after it (codecs).
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	HEIC Format = "heic" // HEIF with HEVC images (heif.go)
	AVIF Format = "avif" // HEIF with AV1 images (heif.go)
)

// ContentType is the MIME type of the format, "application/octet-stream" when unknown.
func (f Format) ContentType() string {
	if c := codecOf(f); c != nil {
		return c.mime
	}
	return "application/octet-stream"
}

// Extension is the usual file name extension of the format, with its dot;
// "" when unknown.
func (f Format) Extension() string {
	if c := codecOf(f); c != nil {
		return c.extensions[0]
	}
	return ""
}

// Encodable reports whether the pipeline can write this format.
func (f Format) Encodable() bool {
	c := codecOf(f)
	return c != nil && c.encode != nil
}

// FormatFromName returns the format a file name's extension names
// (".jpg", ".JPEG", ".png", ".gif", ".webp", ".heic", ".avif"), or "" when it names none.
func FormatFromName(name string) Format {
	ext := strings.ToLower(path.Ext(name))
	for _, c := range codecs {
		if slices.Contains(c.extensions, ext) {
			return c.format
		}
	}
	return ""
}

// ParseFormat turns the name of a format the pipeline writes ("jpeg",
// "jpg", "png", "gif", "webp", "avif", any case) into a Format.
func ParseFormat(s string) (Format, error) {
	if f := FormatFromName("." + s); f.Encodable() && !strings.ContainsAny(s, "./") {
		return f, nil
	}
	return "", fmt.Errorf("format %q: want jpeg, png, gif, webp or avif", s)
}
