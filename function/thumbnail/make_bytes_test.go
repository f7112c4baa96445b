package thumbnail

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestMakeBytesMatchesMake checks that decoding a source in place gives the
// same thumbnail, byte for byte, as reading it through Make.
func TestMakeBytesMatchesMake(t *testing.T) {
	for _, name := range []string{"video-001.jpeg", "video-001.progressive.jpeg", "video-001.cmyk.jpeg", "video-001.png", "video-001.interlaced.gif"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(goImageTestdata(), name))
			if err != nil {
				t.Fatal(err)
			}
			want := mustMake(t, data, DefaultOptions())
			got, err := MakeBytes(data, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Data, want.Data) || got.Format != want.Format ||
				got.SourceWidth != want.SourceWidth || got.SourceHeight != want.SourceHeight {
				t.Errorf("MakeBytes = %s %dx%d (%d bytes), Make = %s %dx%d (%d bytes)",
					got.Format, got.SourceWidth, got.SourceHeight, len(got.Data),
					want.Format, want.SourceWidth, want.SourceHeight, len(want.Data))
			}
		})
	}
}

// TestMakeBytesChecksTheByteLimit checks that an in-memory source over the
// byte limit is refused as too large, like a streamed one.
func TestMakeBytesChecksTheByteLimit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(goImageTestdata(), "video-001.png"))
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Limits.MaxBytes = int64(len(data) - 1)
	if _, err := MakeBytes(data, opts); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("MakeBytes over the limit: %v, want ErrTooLarge", err)
	}
	opts.Limits.MaxBytes = int64(len(data))
	if _, err := MakeBytes(data, opts); err != nil {
		t.Fatalf("MakeBytes at the limit: %v", err)
	}
}

// TestMakeBytesDoesNotCopyTheSource checks that a large in-memory source is
// not copied: what MakeBytes allocates stays well under the source's size.
func TestMakeBytesDoesNotCopyTheSource(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(goImageTestdata(), "video-001.png"))
	if err != nil {
		t.Fatal(err)
	}
	// A PNG may carry trailing bytes after IEND; 16 MiB of them make a copy obvious.
	large := append(bytes.Clone(data), make([]byte, 16<<20)...)
	var made error
	alloc := allocatedBy(func() { _, made = MakeBytes(large, DefaultOptions()) })
	if made != nil {
		t.Fatal(made)
	}
	if alloc > 8<<20 {
		t.Errorf("MakeBytes allocated %d bytes for a %d-byte source: the source was copied", alloc, len(large))
	}
	alloc = allocatedBy(func() { _, made = Make(bytes.NewReader(large), DefaultOptions()) })
	if made != nil {
		t.Fatal(made)
	}
	if alloc < 16<<20 {
		t.Errorf("Make allocated only %d bytes: the test no longer tells a copy apart", alloc)
	}
}
