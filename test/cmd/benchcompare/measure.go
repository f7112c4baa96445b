package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// usage is what one child process cost.
type usage struct {
	cpu    time.Duration // user + system
	wall   time.Duration
	maxRSS int64 // bytes
}

// measure runs a command to completion and returns its rusage. A non-zero
// exit is an error carrying the command's stderr.
func measure(name string, args ...string) (usage, error) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return usage{}, &toolError{command: name + " " + strings.Join(args, " "), err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return usage{}, fmt.Errorf("%s: no rusage on this system", name)
	}
	return usage{
		cpu:  time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		wall: wall,
		// Linux reports ru_maxrss in KiB.
		maxRSS: ru.Maxrss * 1024,
	}, nil
}

// toolError is a command that exited with an error, and what it printed.
type toolError struct {
	command string
	err     error
	stderr  string
}

func (e *toolError) Error() string { return fmt.Sprintf("%s: %v: %s", e.command, e.err, e.stderr) }

func (e *toolError) Unwrap() error { return e.err }

// expand replaces {in} and {out} in a space-separated argument template.
func expand(template, in, out string) []string {
	fields := strings.Fields(template)
	for i, f := range fields {
		f = strings.ReplaceAll(f, "{in}", in)
		fields[i] = strings.ReplaceAll(f, "{out}", out)
	}
	return fields
}
