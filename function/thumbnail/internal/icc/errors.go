package icc

import (
	"errors"
	"fmt"
)

// ErrUnsupported is wrapped by errors for valid profiles this package does
// not convert (device spaces other than RGB, grey and CMYK; device links).
var ErrUnsupported = errors.New("unsupported profile")

// FormatError reports a profile that is malformed or over a limit.
type FormatError string

// Error says what is wrong with the profile.
func (e FormatError) Error() string { return "icc: " + string(e) }

// malformed builds a FormatError.
func malformed(format string, args ...any) error {
	return FormatError(fmt.Sprintf(format, args...))
}

// unsupported builds an error wrapping ErrUnsupported.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("icc: %w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}
