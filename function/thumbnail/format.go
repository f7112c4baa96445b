package thumbnail

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Format names an image encoding.
type Format string

// The formats the pipeline decodes. All four can also be encoded. What the
// pipeline knows of each is its codec, in the file named after it (codecs).
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// ContentType is the MIME type of the format, "application/octet-stream" when unknown.
func (f Format) ContentType() string {
	if c := codecOf(f); c != nil {
		return c.mime
	}
	return "application/octet-stream"
}

// Encodable reports whether the pipeline can write this format.
func (f Format) Encodable() bool {
	c := codecOf(f)
	return c != nil && c.encode != nil
}

// FormatFromName returns the format a file name's extension names
// (".jpg", ".JPEG", ".png", ".gif", ".webp"), or "" when it names none.
func FormatFromName(name string) Format {
	ext := strings.ToLower(path.Ext(name))
	for _, c := range codecs {
		if slices.Contains(c.extensions, ext) {
			return c.format
		}
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
