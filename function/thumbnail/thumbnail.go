// Package thumbnail turns image bytes into a small image: sniff the format,
// read its header once, check the limits, decode, resize, apply EXIF
// orientation, encode (pipeline.go lists the steps). Each format is one codec
// in its own file (jpeg.go, png.go, gif.go, webp.go) and one row of the codecs
// table: its signature, its one header walk, its decode and its encode. It
// imports no AWS package.
package thumbnail

import (
	"fmt"
	"io"
)

// Result is a finished thumbnail.
type Result struct {
	Data          []byte // encoded thumbnail
	Format        Format // encoding of Data
	Width, Height int    // thumbnail size
	// Source describes the input as read from its header.
	SourceFormat              Format
	SourceWidth, SourceHeight int // before orientation
	Orientation               int // EXIF orientation applied, 1-8 (1 when absent)
	// SourceProfile names the colour space the source was converted to sRGB
	// from ("Display P3", "Adobe RGB (1998)", a profile's description); ""
	// for a source taken as sRGB without a profile saying so.
	SourceProfile string
	// ColourFallback says why a profile the source carries was not used (the
	// pixels were taken as sRGB); "" when there was none to ignore.
	ColourFallback string
}

// ContentType is the MIME type of Data.
func (r *Result) ContentType() string { return r.Format.ContentType() }

// Make reads at most opts.Limits.MaxBytes from src and returns its thumbnail.
// Zero fields of opts take their defaults (see DefaultOptions).
// A returned *Error is permanent; any other error came from reading src or
// from options that fail Options.Validate. Make is safe for concurrent use.
func Make(src io.Reader, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("thumbnail options: %w", err)
	}
	j := &job{src: src, opts: opts}
	if err := j.run(pipeline); err != nil {
		return nil, err
	}
	return j.result(), nil
}

// MakeBytes is Make for a source already in memory, such as an object the
// function has downloaded: it decodes data in place instead of copying it,
// which saves one source-sized buffer. data is only read, never kept.
func MakeBytes(data []byte, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("thumbnail options: %w", err)
	}
	if int64(len(data)) > opts.Limits.MaxBytes {
		return nil, tooLarge("input is %d bytes, limit %d", len(data), opts.Limits.MaxBytes)
	}
	j := &job{data: data, opts: opts}
	if err := j.run(inMemory); err != nil {
		return nil, err
	}
	return j.result(), nil
}
