package thumbnail

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestReadSourceAllocatesOnceForFiles checks that a file source is read into
// one buffer of its size: a buffer grown by doubling would cost up to three
// times a large source at its peak.
func TestReadSourceAllocatesOnceForFiles(t *testing.T) {
	const size = 8 << 20
	want := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	path := filepath.Join(t.TempDir(), "source")
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		open  func(t *testing.T) io.Reader
		limit int64
	}{
		{"file", func(t *testing.T) io.Reader { return openFile(t, path) }, DefaultMaxBytes},
		{"file over the limit", func(t *testing.T) io.Reader { return openFile(t, path) }, size / 2},
		{"bytes", func(*testing.T) io.Reader { return bytes.NewReader(want) }, DefaultMaxBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &job{src: tt.open(t), opts: DefaultOptions()}
			j.opts.Limits.MaxBytes = tt.limit
			var err error
			alloc := allocatedBy(func() { err = readSource(j) })
			if tt.limit < size {
				if err == nil {
					t.Fatal("a source over the limit was read")
				}
			} else if err != nil || !bytes.Equal(j.data, want) {
				t.Fatalf("readSource: %v, %d bytes, want the %d bytes of the source", err, len(j.data), size)
			}
			if limit := min(tt.limit, size) * 3 / 2; alloc > uint64(limit) {
				t.Errorf("allocated %d bytes to read %d, want at most %d", alloc, min(tt.limit, size), limit)
			}
		})
	}
}

func openFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	})
	return f
}
