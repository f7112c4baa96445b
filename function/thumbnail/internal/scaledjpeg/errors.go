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
