// Package toolchain builds what the local cloud runs (the function's bootstrap for this
// machine, the Lambda Runtime Interface Emulator) and synthesizes the stack's template.
package toolchain

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Paths of the repository the local cloud needs, relative to its root.
const (
	FunctionDir   = "function"
	TestModuleDir = "test"
	// TemplateFile is where `make synth` writes the stack's template.
	TemplateFile = "cdk.out/Thumbnails.template.json"
	// StateDir keeps the local cloud's objects, binaries and failure records.
	StateDir = ".local"
)

// RepoRoot walks up from dir to the folder holding go.work.
func RepoRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.work in %s or any parent: run from inside the repository", abs)
		}
	}
}
