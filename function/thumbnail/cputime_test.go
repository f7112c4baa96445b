package thumbnail

import (
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
)

// maxCPUPerInput is the most CPU time any hostile case may cost the image
// core. The slowest cases are legitimate full-size decodes at the edge of
// the decode budget (a 16-bit RGBA PNG of 4000x4000, a 64 MP 1-bit PNG, a
// lossless WebP of 4000x4000), under a second each on an idle machine of
// two cores and up to twice that while other test binaries share it. A file
// built to make a decoder loop (the JPEG scans without data took 2.6 s to
// 269 s before) is refused in milliseconds.
const maxCPUPerInput = 3 * time.Second

// maxCPUPerFuzzInput bounds one fuzzed input, which is at most a megapixel
// (fuzzOptions): a slow input fails the fuzzer instead of stalling it.
const maxCPUPerFuzzInput = time.Second

// cpuTimeOf returns the CPU time the process spent while f ran.
func cpuTimeOf(t testing.TB, f func()) time.Duration {
	t.Helper()
	d, err := cputime.Of(f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
