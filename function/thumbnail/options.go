package thumbnail

import (
	"fmt"
)

// Mode says how the source is fitted into the target box.
type Mode string

const (
	// ModeFill covers the whole box, keeping the aspect ratio, then crops the centre.
	ModeFill Mode = "fill"
	// ModeFit fits the whole image inside the box, keeping the aspect ratio;
	// one side may come out shorter than the box. A source already inside the
	// box is never enlarged: its thumbnail keeps the source size.
	ModeFit Mode = "fit"
	// ModeStretch scales each axis to the box, ignoring the aspect ratio.
	ModeStretch Mode = "stretch"
)

// ParseMode turns "fill", "fit" or "stretch" into a Mode.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeFill, ModeFit, ModeStretch:
		return m, nil
	}
	return "", fmt.Errorf("mode %q: want fill, fit or stretch", s)
}

// Default output settings: the product's 128x128 thumbnail.
const (
	DefaultWidth   = 128
	DefaultHeight  = 128
	DefaultMode    = ModeFill
	DefaultQuality = 85
	// MaxOutputSide bounds the requested thumbnail size.
	MaxOutputSide = 4096
)

// Options configure one thumbnail.
type Options struct {
	// Width and Height of the box, in pixels. Default: 128x128.
	Width, Height int
	// Mode of fitting into the box. Default: ModeFill.
	Mode Mode
	// Quality of JPEG output, 1-100. Default: 85.
	Quality int
	// WebPQuality of lossy WebP output, 1-100. Default: DefaultWebPQuality.
	WebPQuality int
	// Format of the output; empty means the input's format. Default: "".
	Format Format
	// Limits guard the decoder against hostile input. Default: DefaultLimits().
	Limits Limits
}

// DefaultOptions returns the product's defaults: 128x128, fill, JPEG q85, output
// in the input's format, default limits.
func DefaultOptions() Options {
	return Options{
		Width:       DefaultWidth,
		Height:      DefaultHeight,
		Mode:        DefaultMode,
		Quality:     DefaultQuality,
		WebPQuality: DefaultWebPQuality,
		Limits:      DefaultLimits(),
	}
}

// Validate reports the first setting that is out of range.
func (o Options) Validate() error {
	if o.Width < 1 || o.Height < 1 || o.Width > MaxOutputSide || o.Height > MaxOutputSide {
		return fmt.Errorf("size %dx%d: each side must be 1-%d", o.Width, o.Height, MaxOutputSide)
	}
	if _, err := ParseMode(string(o.Mode)); err != nil {
		return err
	}
	if o.Quality < 1 || o.Quality > 100 {
		return fmt.Errorf("quality %d: must be 1-100", o.Quality)
	}
	if o.WebPQuality < 1 || o.WebPQuality > 100 {
		return fmt.Errorf("WebP quality %d: must be 1-100", o.WebPQuality)
	}
	if o.Format != "" && !o.Format.Encodable() {
		return fmt.Errorf("output format %q: cannot encode", o.Format)
	}
	return o.Limits.Validate()
}

// withDefaults fills every zero field with the product default, so a caller
// may set only what it cares about.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Width == 0 {
		o.Width = d.Width
	}
	if o.Height == 0 {
		o.Height = d.Height
	}
	if o.Mode == "" {
		o.Mode = d.Mode
	}
	if o.Quality == 0 {
		o.Quality = d.Quality
	}
	if o.WebPQuality == 0 {
		o.WebPQuality = d.WebPQuality
	}
	if o.Limits.MaxBytes == 0 {
		o.Limits.MaxBytes = d.Limits.MaxBytes
	}
	if o.Limits.MaxPixels == 0 {
		o.Limits.MaxPixels = d.Limits.MaxPixels
	}
	if o.Limits.MaxSide == 0 {
		o.Limits.MaxSide = d.Limits.MaxSide
	}
	return o
}
