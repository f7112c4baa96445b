package thumbnail

import (
	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// Default security limits. The numbers live in the contract, the one place
// the function, the CLI and the infrastructure read them from.
const (
	// DefaultMaxBytes is the largest source object read, in bytes (50 MiB).
	DefaultMaxBytes = contract.DefaultMaxBytes
	// DefaultMaxPixels is the largest source image, width times height, read
	// from the header before any pixel buffer is allocated (64 megapixels).
	DefaultMaxPixels = contract.DefaultMaxPixels
	// DefaultMaxSide is the longest side accepted, in pixels.
	DefaultMaxSide = contract.DefaultMaxSide
)

// Limits on decoding, derived from Limits rather than configured on their own.
const (
	// decodeBytesPerPixel sets the decode budget (Limits.decodeBudget): a
	// decode may allocate this many bytes for each pixel MaxPixels admits,
	// the largest admitted image as 8-bit RGBA (256 MB at the defaults),
	// which is what the function's memory is sized for. Each decoder
	// estimates from the header what it would allocate (see overBudget) and
	// refuses a decode over the budget before it starts. The streamed PNG
	// and DC-only JPEG decoders need a small part of it at any admitted size;
	// decodes that hold the whole image need from 1 to 28 bytes a pixel, so
	// the kinds that cost more than 4 (GIF, WebP, interlaced PNG,
	// CMYK JPEG) are admitted at fewer pixels than MaxPixels.
	decodeBytesPerPixel = 4
	// maxJPEGScans bounds the scans of a JPEG. Each scan of a progressive
	// file is a pass over every block, so a few bytes of scan header buy a
	// pass of CPU time; encoders write about ten.
	maxJPEGScans = 100
	// wasmBudgetFactor widens the decode budget for the WebAssembly
	// decoders (HEIC, AVIF: heif.go), 512 MB at the defaults. Their whole
	// picture lives in the decoder's own memory, capped at this budget and
	// unmapped when the decode ends; the Go side only ever holds a copy
	// shrunk towards the thumbnail, so nothing else of that size is alive.
	// libavif needs 21 bytes a pixel: at the plain budget a 4032x3024 phone
	// photo (258 MB) would be refused. The function's 1024 MB hold it.
	wasmBudgetFactor = 2
)

// decodeBudget is the most bytes one decode may allocate.
func (l Limits) decodeBudget() int64 { return l.MaxPixels * decodeBytesPerPixel }

// overBudget refuses a decode estimated to allocate need bytes. Each format
// estimates from its header what its decoders allocate (jpegLayout.bytesAt,
// pngLayout.fullSizeBytes, ...): the pixel buffers the decoder holds and the
// copy the resizer makes of the image types it cannot filter directly (see
// resizable); buffers of a few rows and the coding tables are left out.
// TestDecodeCostEstimates holds the estimates to what the decoders allocate.
func overBudget(f Format, w, h int, what string, need, budget int64) error {
	return tooLarge("%s %dx%d %s: decoding needs about %d MB, decode budget %d MB",
		f, w, h, what, ceilMB(need), budget/1e6)
}

// ceilMB is n bytes in megabytes, rounded up.
func ceilMB(n int64) int64 { return (n + 1e6 - 1) / 1e6 }

// Limits bound what a source image may cost before it is decoded.
type Limits struct {
	// MaxBytes is the most bytes read from the source. Default: DefaultMaxBytes.
	MaxBytes int64
	// MaxPixels is the most pixels (width x height) the header may declare. Default: DefaultMaxPixels.
	MaxPixels int64
	// MaxSide is the longest side the header may declare. Default: DefaultMaxSide.
	MaxSide int
}

// DefaultLimits returns the product's default limits.
func DefaultLimits() Limits {
	return Limits{MaxBytes: DefaultMaxBytes, MaxPixels: DefaultMaxPixels, MaxSide: DefaultMaxSide}
}

// Validate reports a limit that is not positive.
func (l Limits) Validate() error {
	return contract.Limits{MaxBytes: l.MaxBytes, MaxPixels: l.MaxPixels, MaxSide: l.MaxSide}.Validate()
}

// checkLimits refuses a source whose header declares a size that is empty or
// over the limits, before any pixel buffer is allocated.
func checkLimits(j *job) error {
	w, h, l := j.header.width, j.header.height, j.opts.Limits
	switch pixels := int64(w) * int64(h); {
	case w < 1 || h < 1:
		return corrupt("%s header declares %dx%d: an image needs at least one pixel", j.format, w, h)
	case pixels > l.MaxPixels:
		return tooLarge("%s header declares %dx%d = %d pixels, limit %d", j.format, w, h, pixels, l.MaxPixels)
	case w > l.MaxSide || h > l.MaxSide:
		return tooLarge("%s header declares %dx%d, side limit %d", j.format, w, h, l.MaxSide)
	}
	return nil
}
