package contract

import (
	"fmt"
	"strconv"
	"strings"
)

// Names of the ways a source is fitted into the thumbnail box.
const (
	// ModeFill covers the whole box, keeping the aspect ratio, then crops the centre.
	ModeFill = "fill"
	// ModeFit fits the whole image inside the box, keeping the aspect ratio;
	// a source already inside the box is never enlarged.
	ModeFit = "fit"
	// ModeStretch scales each axis to the box, ignoring the aspect ratio.
	ModeStretch = "stretch"
)

// Default thumbnail settings: the product's 128x128 thumbnail.
const (
	DefaultWidth   = 128
	DefaultHeight  = 128
	DefaultMode    = ModeFill
	DefaultQuality = 85
	// MaxOutputSide bounds the requested thumbnail size.
	MaxOutputSide = 4096
)

// Default security limits. They are the only place these numbers live: the
// image core, the function, the CLI and the infrastructure all read them here.
const (
	// DefaultMaxBytes is the largest source object read, in bytes (50 MiB).
	DefaultMaxBytes int64 = 50 << 20
	// DefaultMaxPixels is the largest source image, width times height, read
	// from the header before any pixel buffer is allocated (64 megapixels).
	DefaultMaxPixels int64 = 64_000_000
	// DefaultMaxSide is the longest side accepted, in pixels.
	DefaultMaxSide = 65_535
)

// Thumbnail is the shape of every thumbnail the function makes, as plain
// values; the function turns it into the image core's options.
type Thumbnail struct {
	// Width and Height of the box, in pixels. Default: 128x128.
	Width, Height int
	// Mode of fitting into the box: ModeFill, ModeFit or ModeStretch. Default: ModeFill.
	Mode string
	// Quality of JPEG output, 1-100. Default: 85.
	Quality int
	// Limits guard the decoder against hostile input. Default: DefaultLimits().
	Limits Limits
}

// Limits bound what a source image may cost before it is decoded.
type Limits struct {
	// MaxBytes is the most bytes read from the source. Default: DefaultMaxBytes.
	MaxBytes int64
	// MaxPixels is the most pixels (width x height) the header may declare. Default: DefaultMaxPixels.
	MaxPixels int64
	// MaxSide is the longest side the header may declare. Default: DefaultMaxSide.
	MaxSide int
}

// DefaultThumbnail returns the product's thumbnail settings: 128x128, fill, q85, default limits.
func DefaultThumbnail() Thumbnail {
	return Thumbnail{
		Width:   DefaultWidth,
		Height:  DefaultHeight,
		Mode:    DefaultMode,
		Quality: DefaultQuality,
		Limits:  DefaultLimits(),
	}
}

// DefaultLimits returns the product's default limits.
func DefaultLimits() Limits {
	return Limits{MaxBytes: DefaultMaxBytes, MaxPixels: DefaultMaxPixels, MaxSide: DefaultMaxSide}
}

// Validate reports the first setting that is out of range.
func (t Thumbnail) Validate() error {
	if err := ValidateSize(t.Width, t.Height); err != nil {
		return err
	}
	if err := ValidateMode(t.Mode); err != nil {
		return err
	}
	if err := ValidateQuality(t.Quality); err != nil {
		return err
	}
	return t.Limits.Validate()
}

// Spec names the settings that shape a thumbnail's pixels ("128x128 fill q85").
// The function records it on every thumbnail (MetaSpec), so that changing the
// settings makes existing thumbnails out of date. The output format is left
// out: it follows the key, which never changes.
func (t Thumbnail) Spec() string {
	return fmt.Sprintf("%dx%d %s q%d", t.Width, t.Height, t.Mode, t.Quality)
}

// Validate reports the first limit that is not positive.
func (l Limits) Validate() error {
	switch {
	case l.MaxBytes < 1:
		return fmt.Errorf("max bytes %d: must be positive", l.MaxBytes)
	case l.MaxPixels < 1:
		return fmt.Errorf("max pixels %d: must be positive", l.MaxPixels)
	case l.MaxSide < 1:
		return fmt.Errorf("max side %d: must be positive", l.MaxSide)
	}
	return nil
}

// ValidateSize accepts a box whose sides are each 1-MaxOutputSide.
func ValidateSize(w, h int) error {
	if w < 1 || h < 1 || w > MaxOutputSide || h > MaxOutputSide {
		return fmt.Errorf("size %dx%d: each side must be 1-%d", w, h, MaxOutputSide)
	}
	return nil
}

// ValidateMode accepts "fill", "fit" or "stretch".
func ValidateMode(s string) error {
	switch s {
	case ModeFill, ModeFit, ModeStretch:
		return nil
	}
	return fmt.Errorf("mode %q: want fill, fit or stretch", s)
}

// ValidateQuality accepts a JPEG quality of 1-100.
func ValidateQuality(q int) error {
	if q < 1 || q > 100 {
		return fmt.Errorf("quality %d: must be 1-100", q)
	}
	return nil
}

// ParseSize reads "WxH" (e.g. "128x128"); a single number "N" means NxN.
func ParseSize(s string) (w, h int, err error) {
	ws, hs, found := strings.Cut(strings.ToLower(s), "x")
	if !found {
		hs = ws
	}
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if err1 != nil || err2 != nil || w < 1 || h < 1 || w > MaxOutputSide || h > MaxOutputSide {
		return 0, 0, fmt.Errorf("size %q: want WxH with each side 1-%d", s, MaxOutputSide)
	}
	return w, h, nil
}

// FormatSize writes "WxH".
func FormatSize(w, h int) string { return fmt.Sprintf("%dx%d", w, h) }
