package main

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoBuildMakesAnArm64Bootstrap(t *testing.T) {
	dir, err := FindFunctionDir()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var log bytes.Buffer
	if ok := (&goBuild{dir: dir, log: &log}).TryBundle(&out, nil); !*ok {
		t.Fatalf("TryBundle failed:\n%s", log.String())
	}
	bin, err := elf.Open(filepath.Join(out, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	defer bin.Close()
	if bin.Machine != elf.EM_AARCH64 || bin.Type != elf.ET_EXEC {
		t.Errorf("bootstrap is %v %v, want EM_AARCH64 ET_EXEC", bin.Machine, bin.Type)
	}
	if progs := bin.Progs; len(progs) > 0 {
		for _, p := range progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("bootstrap asks for a dynamic loader; want a static binary (CGO_ENABLED=0)")
			}
		}
	}
	if syms, err := bin.Symbols(); err == nil && len(syms) > 0 {
		t.Errorf("bootstrap keeps %d symbols; want them stripped (-s -w)", len(syms))
	}
}

func TestGoBuildReportsCompileErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module broken\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() { undefinedName() }\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	var log bytes.Buffer
	if ok := (&goBuild{dir: dir, log: &log}).TryBundle(&out, nil); *ok {
		t.Fatal("TryBundle succeeded on code that does not compile")
	}
	for _, want := range []string{"undefined: undefinedName", "bundling the function " + dir} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

func TestFindFunctionDir(t *testing.T) {
	dir, err := FindFunctionDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.go")); err != nil {
		t.Errorf("FindFunctionDir() = %s, which has no main.go: %v", dir, err)
	}
	t.Chdir(t.TempDir())
	if dir, err := FindFunctionDir(); err == nil {
		t.Errorf("FindFunctionDir() outside the repository = %s, want an error", dir)
	}
}
