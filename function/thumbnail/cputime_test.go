package thumbnail

import (
	"syscall"
	"testing"
	"time"
)

// maxCPUPerInput is the most CPU time any hostile case may cost the image
// core. The slowest cases are legitimate full-size decodes at the edge of
// the decode budget (a 16-bit RGBA PNG of 4000x4000, a 64 MP 1-bit PNG, a
// lossless WebP of 4000x4000), under a second each on an idle machine of
// two cores and up to twice that while other test binaries share it. A file
// built to make a decoder loop (the JPEG scans without data took 2.6 s to
// 269 s before) is refused in milliseconds.
const maxCPUPerInput = 3 * time.Second

// cpuTimeOf returns the CPU time (user and system, every thread) the
// process spent while f ran. Unlike wall time it does not grow when other
// work shares the machine.
func cpuTimeOf(t testing.TB, f func()) time.Duration {
	t.Helper()
	before, err := processCPU()
	if err != nil {
		t.Fatal(err)
	}
	f()
	after, err := processCPU()
	if err != nil {
		t.Fatal(err)
	}
	return after - before
}

// processCPU is the CPU time this process has used so far.
func processCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
