package backfill

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name                 string
		done, total, thisRun int
		complete             bool
		elapsed              time.Duration
		want                 string
	}{
		{"listing", 120, 300, 120, false, 2 * time.Second, "120/300+ keys handled, listing  60.0/s"},
		{"listed", 1234, 5000, 1234, true, 10 * time.Second, "1234/5000 keys handled (24.7%)  123.4/s  ETA 31s"},
		{"resumed: rate of this run only", 3000, 5000, 1000, true, 10 * time.Second, "3000/5000 keys handled (60.0%)  100.0/s  ETA 20s"},
		{"finished", 5000, 5000, 5000, true, 50 * time.Second, "5000/5000 keys handled (100.0%)  100.0/s  ETA 0s"},
		{"no time yet", 0, 10, 0, true, 0, "0/10 keys handled (0.0%)  0.0/s  ETA -"},
		{"empty bucket", 0, 0, 0, true, time.Second, "0/0 keys handled (100.0%)  0.0/s  ETA 0s"},
		{"long ETA", 10, 100_000, 10, true, 10 * time.Second, "10/100000 keys handled (0.0%)  1.0/s  ETA 27h46m30s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := progressLine(tt.done, tt.total, tt.complete, tt.thisRun, tt.elapsed); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the redraw goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressOutput(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		// check inspects everything written.
		check func(t *testing.T, out string)
	}{
		{"terminal: one line redrawn in place", true, func(t *testing.T, out string) {
			if !strings.Contains(out, "\r") || !strings.Contains(out, "\x1b[K") {
				t.Errorf("no carriage return and line clear: %q", out)
			}
			if n := strings.Count(out, "\n"); n != 2 {
				t.Errorf("%d newlines, want 2: one for the line printed above, one at the end: %q", n, out)
			}
			if !strings.Contains(out, "\r\x1b[Kfailed: x\n") {
				t.Errorf("the printed line does not clear the progress line first: %q", out)
			}
			last := out[strings.LastIndex(out, "\r")+1:]
			if !strings.HasPrefix(last, "3/3 keys handled (100.0%)") || !strings.HasSuffix(last, "\x1b[K\n") {
				t.Errorf("last redraw %q, want the final figures ending the line", last)
			}
		}},
		{"not a terminal: plain lines", false, func(t *testing.T, out string) {
			if strings.ContainsAny(out, "\r\x1b") {
				t.Errorf("terminal control characters in plain output: %q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) < 3 {
				t.Fatalf("%d lines, want the redraws, the printed line and the final figures: %q", len(lines), out)
			}
			if !strings.HasPrefix(lines[len(lines)-1], "3/3 keys handled (100.0%)") {
				t.Errorf("last line %q, want the final figures", lines[len(lines)-1])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			p := NewProgress(&out, tt.tty)
			p.every = 5 * time.Millisecond
			p.begin(0)
			for range 3 {
				p.listed()
			}
			p.handled()
			// Wait for the first redraw, however busy the machine: the
			// printed line must clear a progress line that is shown.
			for deadline := time.Now().Add(10 * time.Second); out.String() == ""; time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("no redraw within 10 s")
				}
			}
			p.above(func() {
				if _, err := out.Write([]byte("failed: x\n")); err != nil {
					t.Error(err)
				}
			})
			p.handled()
			p.handled()
			p.listingEnded()
			p.end()
			tt.check(t, out.String())
		})
	}
}

// failingWriter fails every write.
type failingWriter struct{ writes int }

func (w *failingWriter) Write([]byte) (int, error) {
	w.writes++
	return 0, errors.New("terminal gone")
}

func TestProgressStopsWritingAfterAFailure(t *testing.T) {
	w := &failingWriter{}
	p := NewProgress(w, true)
	p.every = time.Millisecond
	p.begin(0)
	time.Sleep(20 * time.Millisecond)
	p.end()
	if w.writes != 1 {
		t.Errorf("%d writes, want 1: progress is off after the first failure", w.writes)
	}
}

func TestNilProgressIsQuiet(t *testing.T) {
	var p *Progress
	p.begin(3)
	p.listed()
	p.handled()
	p.listingEnded()
	ran := false
	p.above(func() { ran = true })
	p.end()
	if !ran {
		t.Error("a nil Progress did not run the printing function")
	}
}
