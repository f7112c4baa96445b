package heif

import "fmt"

// FormatError reports bytes that are not a valid HEIF/AVIF container.
type FormatError string

func (e FormatError) Error() string { return "invalid HEIF: " + string(e) }

// LimitError reports a container that is valid as far as read but declares
// more than the walker's bounds admit (boxes, items, tiles, nesting).
type LimitError string

func (e LimitError) Error() string { return "HEIF over limit: " + string(e) }

func formatError(format string, args ...any) error {
	return FormatError(fmt.Sprintf(format, args...))
}

func limitError(format string, args ...any) error {
	return LimitError(fmt.Sprintf(format, args...))
}

// UnsupportedError reports a valid container whose primary image is coded
// in a way the decoders here do not read (an overlay, a derived or an
// uncompressed image, another codec).
type UnsupportedError string

func (e UnsupportedError) Error() string { return "unsupported HEIF: " + string(e) }
