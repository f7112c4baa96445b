package thumbnail

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
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
	} else if size, ok := fileSize(j.src); ok {
		// A file's size only sizes the buffer: growing by doubling would
		// briefly hold up to three times a large source.
		buf.Grow(int(min(size, limit+1)) + bytes.MinRead)
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

// fileSize is the size of a regular file being read (an *os.File), if src is one.
// It is a hint: a failing Stat only means the buffer grows as it reads.
func fileSize(src io.Reader) (int64, bool) {
	f, ok := src.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return 0, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	return fi.Size(), true
}
