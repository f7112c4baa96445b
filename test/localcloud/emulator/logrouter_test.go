package emulator

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLogRouter(t *testing.T) {
	var got []string
	r := newLogRouter(func(s string) { got = append(got, s) }, "2")
	w := r.writer()
	chunks := []string{
		"START RequestId: abc Version: $LATEST\n",
		`{"level":"INFO",`, `"msg":"hi"}` + "\r\n",
		"plain line\nEND RequestId: abc\n",
		"REPORT RequestId: abc\tDuration: 1.00 ms\t\n",
		`time="2026-11-25T20:00:00Z" level=error msg="Runtime exited"` + "\n",
		"no newline at the end",
	}
	for _, c := range chunks {
		if n, err := w.Write([]byte(c)); n != len(c) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	w.flush()
	want := []string{
		`{"level":"INFO","msg":"hi"}`,
		"plain line",
		`[runtime emulator 2] time="2026-11-25T20:00:00Z" level=error msg="Runtime exited"`,
		"no newline at the end",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %q\nwant    %q", got, want)
	}
	start := time.Now()
	r.waitEnd("abc", time.Second)
	if time.Since(start) > 500*time.Millisecond {
		t.Error("waitEnd waited for an END line already seen")
	}
	start = time.Now()
	r.waitEnd("never", 50*time.Millisecond)
	if time.Since(start) < 50*time.Millisecond {
		t.Error("waitEnd returned before its limit without an END line")
	}
}

func TestLineWriterSplitsLongLines(t *testing.T) {
	var got []string
	w := &lineWriter{route: func(s string) { got = append(got, s) }}
	long := strings.Repeat("x", maxLine+10)
	if _, err := w.Write([]byte(long + "\n")); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0]) != len(long) {
		t.Errorf("got %d lines, first of %d bytes", len(got), len(got[0]))
	}
}
