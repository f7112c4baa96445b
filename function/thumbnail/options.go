package thumbnail

import (
	"fmt"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// Mode says how the source is fitted into the target box.
type Mode string

const (
	// ModeFill covers the whole box, keeping the aspect ratio, then crops the centre.
	ModeFill Mode = contract.ModeFill
	// ModeFit fits the whole image inside the box, keeping the aspect ratio;
	// one side may come out shorter than the box. A source already inside the
	// box is never enlarged: its thumbnail keeps the source size.
	ModeFit Mode = contract.ModeFit
	// ModeStretch scales each axis to the box, ignoring the aspect ratio.
	ModeStretch Mode = contract.ModeStretch
)

// ParseMode turns "fill", "fit" or "stretch" into a Mode.
func ParseMode(s string) (Mode, error) {
	if err := contract.ValidateMode(s); err != nil {
		return "", err
	}
	return Mode(s), nil
}

// Default output settings: the product's 128x128 thumbnail, as the contract
// with the function's environment sets them.
const (
	DefaultWidth   = contract.DefaultWidth
	DefaultHeight  = contract.DefaultHeight
	DefaultMode    = Mode(contract.DefaultMode)
	DefaultQuality = contract.DefaultQuality
	// MaxOutputSide bounds the requested thumbnail size.
	MaxOutputSide = contract.MaxOutputSide
)

// Options configure one thumbnail.
type Options struct {
	// Width and Height of the box, in pixels. Default: 128x128.
	Width, Height int
	// Mode of fitting into the box. Default: ModeFill.
	Mode Mode
	// Quality of JPEG output, 1-100. Default: 85.
	Quality int
	// Format of the output; empty means the input's format. Default: "".
	Format Format
	// Limits guard the decoder against hostile input. Default: DefaultLimits().
	Limits Limits
}

// DefaultOptions returns the product's defaults: 128x128, fill, JPEG q85, output
// in the input's format, default limits.
func DefaultOptions() Options {
	return Options{
		Width:   DefaultWidth,
		Height:  DefaultHeight,
		Mode:    DefaultMode,
		Quality: DefaultQuality,
		Limits:  DefaultLimits(),
	}
}

// Validate reports the first setting that is out of range.
func (o Options) Validate() error {
	if err := contract.ValidateSize(o.Width, o.Height); err != nil {
		return err
	}
	if err := contract.ValidateMode(string(o.Mode)); err != nil {
		return err
	}
	if err := contract.ValidateQuality(o.Quality); err != nil {
		return err
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
