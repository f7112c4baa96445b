package scaledjpeg

import (
	"errors"
	"fmt"
)

// FormatError reports data that is not a valid JPEG.
type FormatError string

func (e FormatError) Error() string { return "invalid JPEG: " + string(e) }

func formatError(format string, args ...any) error {
	return FormatError(fmt.Sprintf(format, args...))
}

// errNoDCPath means the DC-only decoder does not handle this kind of JPEG
// (12-bit, arithmetic-coded, lossless, CMYK, RGB); a general decoder does.
var errNoDCPath = errors.New("not handled by the DC-only decoder")

// dataEndsError means a scan needed more entropy-coded data than the file
// holds: it ran into a marker or the end of the file. libjpeg reads zero bits
// past that point and makes a grey remainder; this decoder refuses the file,
// as image/jpeg does ("missing 0xff00 sequence", "unexpected EOF"), so a
// truncated or forged file gets one verdict at every scale and costs no more
// work than its data.
type dataEndsError struct{ mcu, mcus int }

func (e dataEndsError) Error() string {
	return fmt.Sprintf("invalid JPEG: scan data ends at MCU %d of %d", e.mcu, e.mcus)
}

// errRunPastBlock is a run of zeros that carries the coefficient index past
// the last coefficient of a block (see skipAC).
var errRunPastBlock = FormatError("AC coefficients run past the end of a block")
