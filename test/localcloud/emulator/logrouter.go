package emulator

import (
	"bytes"
	"strings"
	"sync"
	"time"
)

// logRouter splits the emulator's output into lines. The function's own lines go to
// out unchanged; the emulator's START, END and REPORT lines are dropped (the local cloud
// writes its own REPORT line, with measured memory); the emulator's diagnostics go to
// out marked as such. END lines also tell that every earlier line of an invocation has
// been seen.
type logRouter struct {
	out   func(line string)
	label string

	mu   sync.Mutex
	ends map[string]chan struct{}
}

func newLogRouter(out func(string), label string) *logRouter {
	return &logRouter{out: out, label: label, ends: map[string]chan struct{}{}}
}

// route handles one complete line.
func (l *logRouter) route(line string) {
	switch {
	case strings.HasPrefix(line, "END RequestId: "):
		l.endChan(strings.TrimSpace(strings.TrimPrefix(line, "END RequestId: ")), true)
	case strings.HasPrefix(line, "START RequestId: "), strings.HasPrefix(line, "REPORT RequestId: "):
	case strings.HasPrefix(line, `time="`) && strings.Contains(line, " level="):
		l.out("[runtime emulator " + l.label + "] " + line)
	default:
		l.out(line)
	}
}

// endChan returns the channel closed at the END line of id, closing it when ended.
func (l *logRouter) endChan(id string, ended bool) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch, ok := l.ends[id]
	if !ok {
		ch = make(chan struct{})
		l.ends[id] = ch
	}
	if ended {
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
	return ch
}

// waitEnd waits up to d for the END line of id, so that the invocation's log lines are
// out before anything is reported about it.
func (l *logRouter) waitEnd(id string, d time.Duration) {
	ch := l.endChan(id, false)
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
	}
	l.mu.Lock()
	delete(l.ends, id)
	l.mu.Unlock()
}

// writer returns an io.Writer for one output stream of the emulator.
func (l *logRouter) writer() *lineWriter { return &lineWriter{route: l.route} }

// lineWriter cuts a byte stream into lines.
type lineWriter struct {
	route   func(string)
	partial []byte
}

// maxLine bounds a line held while waiting for its end; longer ones are passed in pieces.
const maxLine = 1 << 20

// Write routes every complete line of p and keeps the rest for the next call.
func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			if len(w.partial) >= maxLine {
				w.flush()
			}
			break
		}
		w.partial = append(w.partial, p[:i]...)
		w.flush()
		p = p[i+1:]
	}
	return n, nil
}

// flush routes the pending partial line, if any.
func (w *lineWriter) flush() {
	if len(w.partial) == 0 {
		return
	}
	w.route(strings.TrimRight(string(w.partial), "\r"))
	w.partial = w.partial[:0]
}
