package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// usage is what one child process cost.
type usage struct {
	cpu    time.Duration // user + system
	wall   time.Duration
	maxRSS int64 // bytes
}

// spawnerPackage is the small command every measured process is started
// through (see test/cmd/rusage): a child started straight from this
// process would inherit its peak resident set at exec, so every figure
// would read at least the benchmark's own memory (18 MiB for a JPEG whose
// own peak is 13).
const spawnerPackage = "github.com/serverless-thumbnails/thumbnails/test/cmd/rusage"

// buildSpawner compiles the spawner into dir and returns its path.
func buildSpawner(dir string) (string, error) {
	path := filepath.Join(dir, "rusage")
	if out, err := exec.Command("go", "build", "-o", path, spawnerPackage).CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s: %v: %s", spawnerPackage, err, out)
	}
	return path, nil
}

// measure runs a command to completion through the spawner and returns its
// rusage. A non-zero exit is an error carrying the command's stderr.
func measure(spawner, name string, args ...string) (usage, error) {
	report, err := os.CreateTemp("", "rusage")
	if err != nil {
		return usage{}, err
	}
	report.Close()
	defer os.Remove(report.Name())
	cmd := exec.Command(spawner, append([]string{report.Name(), name}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return usage{}, &toolError{command: name + " " + strings.Join(args, " "), err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	return parseRusage(report.Name(), wall)
}

// parseRusage reads the spawner's report: user and system CPU in
// nanoseconds, peak resident set in KiB, exit code.
func parseRusage(path string, wall time.Duration) (usage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return usage{}, err
	}
	var user, sys, rssKiB, code int64
	if n, err := fmt.Sscan(string(b), &user, &sys, &rssKiB, &code); n != 4 || err != nil {
		return usage{}, fmt.Errorf("rusage report %q: %v", strings.TrimSpace(string(b)), err)
	}
	return usage{cpu: time.Duration(user + sys), wall: wall, maxRSS: rssKiB * 1024}, nil
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
