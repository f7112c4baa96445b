package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// spawner builds test/cmd/rusage once for the tests of this file.
func spawner(t *testing.T) string {
	t.Helper()
	path, err := buildSpawner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMeasureChild(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	sp := spawner(t)
	u, err := measure(sp, sh, "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done")
	if err != nil {
		t.Fatal(err)
	}
	if u.cpu <= 0 || u.maxRSS < 1<<10 || u.wall < u.cpu/4 {
		t.Errorf("usage %+v: want positive CPU and wall time and a resident set of at least 1 KiB", u)
	}
	_, err = measure(sp, sh, "-c", "echo broken >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("a failing child gave error %v, want one carrying its stderr and exit status", err)
	}
}

// TestMeasureIsNotTheBenchmarksMemory holds 128 MiB in this process and
// measures a command that needs almost none: started straight from here,
// the child would report this process's peak, inherited at exec.
func TestMeasureIsNotTheBenchmarksMemory(t *testing.T) {
	held := make([]byte, 128<<20)
	for i := range held {
		held[i] = 1
	}
	u, err := measure(spawner(t), "true")
	if err != nil {
		t.Fatal(err)
	}
	if u.maxRSS > 16<<20 {
		t.Errorf("true measured at %d MiB while the benchmark holds %d MiB: the parent's peak leaks into the figure", u.maxRSS>>20, len(held)>>20)
	}
}

func TestParseRusage(t *testing.T) {
	for _, tt := range []struct {
		report string
		want   usage
		ok     bool
	}{
		{"1500000 500000 13204 0\n", usage{cpu: 2 * time.Millisecond, maxRSS: 13204 << 10}, true},
		{"1 2 3\n", usage{}, false},
		{"", usage{}, false},
		{"a b c d", usage{}, false},
	} {
		path := filepath.Join(t.TempDir(), "report")
		if err := os.WriteFile(path, []byte(tt.report), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := parseRusage(path, 0)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseRusage(%q) = %+v, %v; want %+v, ok %v", tt.report, got, err, tt.want, tt.ok)
		}
	}
}

func TestExpand(t *testing.T) {
	got := expand("-format png {in} {out}", "a b.jpg", "/tmp/o.png")
	want := []string{"-format", "png", "a b.jpg", "/tmp/o.png"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expand = %q, want %q", got, want)
	}
}
