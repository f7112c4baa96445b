package heif_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif/heifbuild"
)

// testdata is the directory of the HEIF inputs written by heif-enc (libheif
// 1.15 with x265 and aom); see ../../testdata/README.md.
const testdata = "../../testdata/heif"

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// coded takes the primary image out of an encoder's file.
func coded(t testing.TB, name string) heifbuild.Coded {
	t.Helper()
	c, err := heifbuild.CodedPrimary(readFile(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// allocated runs f and returns the bytes it allocated on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
