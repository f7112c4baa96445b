// Command benchinputs writes the benchmark sources (see testimage.Sources and
// testimage.PhoneSources) to
// a directory, one file each, for the whole-process comparison. Files that
// already exist with content are kept: the sources are deterministic.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

func main() {
	out := flag.String("out", "", "directory to write the sources to (required)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "benchinputs: -out is required")
		os.Exit(2)
	}
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "benchinputs:", err)
		os.Exit(1)
	}
}

// write makes each source missing from dir.
func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, src := range append(testimage.Sources, testimage.PhoneSources...) {
		path := filepath.Join(dir, src.Name+src.Ext)
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			continue
		}
		data, err := src.Bytes()
		if err != nil {
			return fmt.Errorf("%s: %w", src.Name, err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", path, len(data))
	}
	return nil
}
