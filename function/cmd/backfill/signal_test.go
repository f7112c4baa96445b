//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// TestBinaryInterruptedBySignal builds the real command, sends it SIGINT
// partway through, as Ctrl-C does, and checks that it saves its checkpoint,
// says how to resume and exits 130; then -resume finishes the work.
func TestBinaryInterruptedBySignal(t *testing.T) {
	isolateAWS(t)
	bin := filepath.Join(t.TempDir(), "backfill")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	accepted := make(chan int, 100)
	cloud := localBucket(t, cloudtest.LambdaOptions{
		Delay:    20 * time.Millisecond,
		OnAccept: func(n int) { accepted <- n },
	}, keysNamed(60)...)
	checkpoint := filepath.Join(t.TempDir(), "cp.json")
	args := []string{"-endpoint", cloud.URL, "-checkpoint", checkpoint, "-bucket", "photos", "-function", "thumbs", "-concurrency", "1"}

	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for n := range accepted {
		if n == 10 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("after SIGINT: %v, want exit status %d\nstdout:\n%s\nstderr:\n%s", err, exitInterrupted, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "run again with -resume") {
		t.Errorf("stdout does not say how to resume:\n%s", stdout.String())
	}
	cp, err := backfill.LoadCheckpoint(checkpoint)
	if err != nil {
		t.Fatalf("no checkpoint after SIGINT: %v", err)
	}
	if n := cp.Summary.Handled(); n < 10 || n >= 61 {
		t.Errorf("checkpoint counts %d keys handled, want at least the 10 before the signal and not all 61", n)
	}

	resumed := exec.Command(bin, append(args, "-resume")...)
	if out, err := resumed.CombinedOutput(); err != nil || !strings.Contains(string(out), "handled           61") {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if got := len(cloud.Lambda.Calls()); got != 61 {
		t.Errorf("%d invocations over both runs, want 61, each key once", got)
	}
	if _, err := os.Stat(checkpoint); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("checkpoint left after the resumed run finished: %v", err)
	}
}
