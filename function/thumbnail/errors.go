package thumbnail

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of permanent failure. Use errors.Is(err, ErrTooLarge) and friends.
var (
	// ErrUnsupported: the bytes are not an image format the pipeline reads.
	ErrUnsupported = errors.New("unsupported format")
	// ErrTooLarge: the source exceeds a limit (bytes, pixels or side).
	ErrTooLarge = errors.New("too large")
	// ErrCorrupt: the bytes claim a known format but cannot be decoded.
	ErrCorrupt = errors.New("corrupt image")
)

// Error is a permanent failure of the pipeline: retrying the same bytes fails the same way.
type Error struct {
	Kind   error  // ErrUnsupported, ErrTooLarge or ErrCorrupt
	Reason string // one line, human readable
}

func (e *Error) Error() string { return fmt.Sprintf("%v: %s", e.Kind, e.Reason) }

// Unwrap lets errors.Is match the Kind.
func (e *Error) Unwrap() error { return e.Kind }

// IsPermanent reports whether err is a pipeline Error, which retrying cannot fix.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

func unsupported(format string, args ...any) error {
	return &Error{Kind: ErrUnsupported, Reason: oneLine(fmt.Sprintf(format, args...))}
}

func tooLarge(format string, args ...any) error {
	return &Error{Kind: ErrTooLarge, Reason: oneLine(fmt.Sprintf(format, args...))}
}

func corrupt(format string, args ...any) error {
	return &Error{Kind: ErrCorrupt, Reason: oneLine(fmt.Sprintf(format, args...))}
}

// oneLine folds line breaks and runs of blanks, which decoder messages may carry,
// into single spaces so every Reason fits on one log line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
