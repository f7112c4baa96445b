package main

import (
	"bytes"
	"errors"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestBinary builds the real command and runs it: once on a photo, once on a
// text file, checking what a shell would see (exit status, streams, output file).
func TestBinary(t *testing.T) {
	dir := files(t)
	bin := filepath.Join(t.TempDir(), "thumbnail")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "nodynamic", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ok := exec.Command(bin, "-size", "96x64", filepath.Join(dir, "photo.jpg"), filepath.Join(dir, "thumb.png"))
	if out, err := ok.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("on a photo: %v, output %q", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "thumb.png"))
	if err != nil {
		t.Fatal(err)
	}
	if size := decodeAs(t, "png", data); size != image.Pt(96, 64) {
		t.Errorf("thumbnail %v, want 96x64", size)
	}

	bad := exec.Command(bin, "notes.jpg", "-")
	bad.Dir = dir
	var stdout, stderr bytes.Buffer
	bad.Stdout, bad.Stderr = &stdout, &stderr
	err = bad.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInput {
		t.Fatalf("on a text file: %v, want exit status %d", err, exitInput)
	}
	want := "thumbnail: notes.jpg: unsupported format: not an image (starts with text \"shopping list: e\")\n"
	if stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("stderr %q, stdout %d bytes; want stderr %q and no output", stderr.String(), stdout.Len(), want)
	}
}
