package main

import (
	"math"
	"runtime/debug"
)

// oneShotMemoryLimit is the heap size at which the garbage collector runs in
// this process: above the largest source the core reads (50 MiB) plus the
// largest decode it admits (256 MB), so an admitted image never reaches it,
// yet it still bounds a process that goes wrong.
const oneShotMemoryLimit = 512 << 20

// gcSettings chooses the collector's settings for a process that makes one
// thumbnail and exits. The proportional collector would start a cycle as soon
// as the source is read (the heap grows from nothing to the file's size at
// once), and that cycle's workers spend more CPU than the rest of a large
// decode frees: nearly everything allocated stays live until exit. So
// collection waits for oneShotMemoryLimit instead. A GOGC or GOMEMLIMIT in
// the environment is the user's choice and is left alone (ok is false).
func gcSettings(getenv func(string) string) (percent int, limit int64, ok bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 100, math.MaxInt64, false
	}
	return -1, oneShotMemoryLimit, true
}

// tuneGC applies gcSettings to this process.
func tuneGC(getenv func(string) string) {
	percent, limit, ok := gcSettings(getenv)
	if !ok {
		return
	}
	debug.SetGCPercent(percent)
	debug.SetMemoryLimit(limit)
}
