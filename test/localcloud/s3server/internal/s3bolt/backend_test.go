package s3bolt

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/johannesboyne/gofakes3"
	bolt "go.etcd.io/bbolt"
)

// open makes a backend on a new bbolt file with one bucket.
func open(t *testing.T) *Backend {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "s3.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := New(db)
	if err := b.CreateBucket("b"); err != nil {
		t.Fatal(err)
	}
	return b
}

// randomBytes is n bytes that differ from every other call's.
func randomBytes(r *rand.Rand, n int) []byte {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(r.UintN(256))
	}
	return data
}

// growFile writes objects until bbolt has mapped its file anew several times: it unmaps
// the old region, so slices into it fault or read other bytes.
func growFile(t *testing.T, b *Backend, r *rand.Rand) {
	t.Helper()
	for i := range 64 {
		data := randomBytes(r, 256<<10)
		if _, err := b.PutObject("b", fmt.Sprintf("filler-%02d", i), map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReturnedBytesOutliveTheTransaction reads objects, grows the file (bbolt remaps it),
// then uses what was read: bodies, ranges and hashes must still be the object's. The
// upstream backend returned slices of bbolt's memory map here, which fault or change.
func TestReturnedBytesOutliveTheTransaction(t *testing.T) {
	tests := []struct {
		name string
		// read returns the body and hash of "o" as the backend gives them.
		read func(b *Backend) (io.ReadCloser, []byte, error)
		// want is the expected body, given the object's bytes.
		want func(data []byte) []byte
	}{
		{"get", func(b *Backend) (io.ReadCloser, []byte, error) {
			obj, err := b.GetObject("b", "o", nil)
			if err != nil {
				return nil, nil, err
			}
			return obj.Contents, obj.Hash, nil
		}, func(data []byte) []byte { return data }},
		{"get range", func(b *Backend) (io.ReadCloser, []byte, error) {
			obj, err := b.GetObject("b", "o", &gofakes3.ObjectRangeRequest{Start: 1000, End: 99999})
			if err != nil {
				return nil, nil, err
			}
			return obj.Contents, obj.Hash, nil
		}, func(data []byte) []byte { return data[1000:100000] }},
		{"head", func(b *Backend) (io.ReadCloser, []byte, error) {
			obj, err := b.HeadObject("b", "o")
			if err != nil {
				return nil, nil, err
			}
			return obj.Contents, obj.Hash, nil
		}, func([]byte) []byte { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			b := open(t)
			data := randomBytes(r, 200<<10)
			if _, err := b.PutObject("b", "o", map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
				t.Fatal(err)
			}
			body, hash, err := tt.read(b)
			if err != nil {
				t.Fatal(err)
			}
			growFile(t, b, r)

			// A fault reading an unmapped region is a panic here rather than the end of
			// the process.
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("reading what the backend returned faulted after the file grew: %v", p)
				}
			}()
			sum := md5.Sum(data)
			if !bytes.Equal(hash, sum[:]) {
				t.Errorf("hash %x after the file grew, want %x", hash, sum)
			}
			got, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.want(data); !bytes.Equal(got, want) {
				t.Errorf("body of %d bytes after the file grew differs from the object's %d (first difference at %d)", len(got), len(want), firstDifference(got, want))
			}
		})
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
