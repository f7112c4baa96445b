package pngstream

import (
	"errors"
	"fmt"
)

// FormatError reports data that is not a valid PNG.
type FormatError string

func (e FormatError) Error() string { return "invalid PNG: " + string(e) }

func formatError(format string, args ...any) error {
	return FormatError(fmt.Sprintf(format, args...))
}

// errNotStreamable means the streaming decoder does not handle this kind of
// PNG (interlaced, 16-bit, under 8 bits per sample, colour-keyed); image/png does.
var errNotStreamable = errors.New("not handled by the streaming decoder")
