package thumbnail

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
)

// maxCPUPerInput is the most CPU time any hostile case may cost the image
// core: the product's bound is 1 s on an idle machine of two cores, and
// make bench holds the suite to it (HOSTILE_CPU_BOUND=1s). In make test the
// bound is 3 s, which survives other test binaries sharing the cores. The
// slowest cases are legitimate decodes at the limits (64 MP PNGs streamed,
// 0.70-0.75 s idle); a file built to make a decoder loop (the JPEG scans
// without data took 2.6 s to 269 s before) is refused in milliseconds.
var maxCPUPerInput = cpuBoundFromEnv("HOSTILE_CPU_BOUND", 3*time.Second)

// cpuBoundFromEnv reads a Go duration from the variable name, else def.
func cpuBoundFromEnv(name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		panic(fmt.Sprintf("%s=%q: want a positive duration such as 1s", name, v))
	}
	return d
}

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
