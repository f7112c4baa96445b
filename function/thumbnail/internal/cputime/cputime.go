// Package cputime measures the CPU time a piece of work costs, for the tests
// that bound what one input may cost the image core (the hostile suite, the
// mutation tests, the fuzz targets). CPU time, unlike wall time, does not
// grow when other processes share the machine.
package cputime

import (
	"syscall"
	"time"
)

// Of returns the CPU time (user and system, every thread) this process spent
// while f ran, or an error when the system does not report it.
func Of(f func()) (time.Duration, error) {
	before, err := process()
	if err != nil {
		return 0, err
	}
	f()
	after, err := process()
	if err != nil {
		return 0, err
	}
	return after - before, nil
}

// process is the CPU time this process has used so far.
func process() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
