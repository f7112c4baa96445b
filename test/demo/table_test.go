package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteTableGolden(t *testing.T) {
	results := []Result{
		{Key: "broken.jpg", Input: Image{Bytes: 45}, Invocations: 1, Duration: 2100 * time.Microsecond, InitDuration: 8800 * time.Microsecond,
			Broken: true, Problem: "corrupt image: jpeg header: unexpected EOF"},
		{Key: "my photos/red flower+bee.jpg", Input: Image{Bytes: 18226, Width: 800, Height: 600, Format: "jpeg"},
			Output: Image{Bytes: 2603, Width: 128, Height: 128, Format: "jpeg", ContentType: "image/jpeg"}, Invocations: 1, Duration: 6090 * time.Microsecond},
		{Key: "large/landscape-6mp.jpg", Input: Image{Bytes: 1477361, Width: 3000, Height: 2000, Format: "jpeg"}, Problem: "no thumbnail"},
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, results); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "table.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("table differs from %s:\n%s", golden, buf.String())
	}
}

func TestVerdict(t *testing.T) {
	ok := Result{Key: "a.jpg", Output: Image{Bytes: 10}}
	broken := Result{Key: "broken.jpg", Broken: true}
	missing := Result{Key: "b.png"}
	if err := verdict([]Result{ok, broken}); err != nil {
		t.Errorf("a broken sample without thumbnail failed the demo: %v", err)
	}
	err := verdict([]Result{ok, broken, missing})
	if err == nil || !strings.Contains(err.Error(), "1 of 2 images got no thumbnail: b.png") {
		t.Errorf("verdict = %v", err)
	}
}

func TestLogLinesAboutAKey(t *testing.T) {
	l := &lineLog{}
	for _, line := range []string{
		`REPORT RequestId: 1	Key: broken.jpg	Duration: 1.00 ms`,
		`{"level":"INFO","msg":"thumbnail written","key":"a.jpg"}`,
		`{"level":"ERROR","msg":"failed permanently, not retried","key":"broken.jpg","reason":"corrupt image: jpeg header: unexpected EOF"}`,
		`{"level":"INFO","msg":"other","key":"broken.jpg.bak"}`,
	} {
		l.add(line)
	}
	got := l.about("broken.jpg")
	if len(got) != 1 || !strings.Contains(got[0], "failed permanently") {
		t.Fatalf("about = %q", got)
	}
	if r := reasonIn(got); r != "corrupt image: jpeg header: unexpected EOF" {
		t.Errorf("reasonIn = %q", r)
	}
}
