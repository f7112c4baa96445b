package thumbnail

import (
	"bytes"
	"fmt"
	"io"
)

// readSource reads the whole source into memory, at most Limits.MaxBytes. It
// asks for one byte more than the limit, so an oversized source is detected
// without reading the rest of it.
func readSource(j *job) error {
	limit := j.opts.Limits.MaxBytes
	var buf bytes.Buffer
	// Readers that know their length (bytes.Reader, strings.Reader, bytes.Buffer)
	// are checked before reading and read into one allocation.
	if l, ok := j.src.(interface{ Len() int }); ok {
		if int64(l.Len()) > limit {
			return tooLarge("input is %d bytes, limit %d", l.Len(), limit)
		}
		buf.Grow(l.Len() + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(j.src, limit+1))
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	if n > limit {
		return tooLarge("input is over %d bytes, the limit", limit)
	}
	j.data = buf.Bytes()
	return nil
}
