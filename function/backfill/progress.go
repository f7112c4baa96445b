package backfill

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Redraw intervals: often enough to look live on a terminal, rarely enough
// not to flood a log file.
const (
	ttyEvery   = 250 * time.Millisecond
	plainEvery = 10 * time.Second
)

// Progress shows how far a run is: done/total, rate and ETA. On a terminal it
// is one line redrawn in place; otherwise a plain line every plainEvery.
// A nil *Progress shows nothing, so a caller may leave it out.
type Progress struct {
	w     io.Writer
	tty   bool
	every time.Duration
	now   func() time.Time

	mu       sync.Mutex
	started  time.Time
	before   int  // keys handled by the runs this one resumes
	done     int  // keys handled, before included
	total    int  // keys listed, before included
	complete bool // the listing has ended, so total is final
	shown    bool // a line is on the terminal, to be cleared before other output
	broken   bool // a write failed: progress is a courtesy, so it stops showing
	quit     chan struct{}
	ticking  sync.WaitGroup
}

// NewProgress returns a Progress writing to w; tty says w is a terminal.
func NewProgress(w io.Writer, tty bool) *Progress {
	every := plainEvery
	if tty {
		every = ttyEvery
	}
	return &Progress{w: w, tty: tty, every: every, now: time.Now}
}

// begin starts the clock and the redraws; before is what resumed runs handled.
func (p *Progress) begin(before int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.started, p.before, p.done, p.total = p.now(), before, before, before
	p.quit = make(chan struct{})
	p.mu.Unlock()
	p.ticking.Go(func() {
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-t.C:
				p.mu.Lock()
				p.draw()
				p.mu.Unlock()
			}
		}
	})
}

// listed counts one key listed.
func (p *Progress) listed() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total++
}

// listingEnded says the total is final.
func (p *Progress) listingEnded() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.complete = true
}

// handled counts one key handled.
func (p *Progress) handled() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
}

// above runs print, which writes lines of its own, clearing the progress line
// first and drawing it again after, so the two never mix on a terminal.
func (p *Progress) above(print func()) {
	if p == nil {
		print()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.shown {
		p.write("\r\x1b[K")
		p.shown = false
	}
	print()
	if p.tty && p.quit != nil {
		p.draw()
	}
}

// end stops the redraws and leaves the final figures on their own line.
func (p *Progress) end() {
	if p == nil || p.quit == nil {
		return
	}
	close(p.quit)
	p.ticking.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw()
	if p.tty {
		p.write("\n")
	}
	p.quit = nil
}

// draw writes the current line; the caller holds mu.
func (p *Progress) draw() {
	line := progressLine(p.done, p.total, p.complete, p.done-p.before, p.now().Sub(p.started))
	if p.tty {
		p.shown = p.write("\r" + line + "\x1b[K")
		return
	}
	p.write(line + "\n")
}

// write writes s unless an earlier write failed, and reports whether it was
// written. A failed write (a closed terminal, a full disk) turns progress off
// instead of stopping the backfill: the figures are a courtesy, the summary
// and the checkpoint are what count. The caller holds mu.
func (p *Progress) write(s string) bool {
	if p.broken {
		return false
	}
	if _, err := io.WriteString(p.w, s); err != nil {
		p.broken = true
		return false
	}
	return true
}

// progressLine renders "done/total (percent)  rate  ETA". While the listing
// runs the total is a lower bound, shown with a "+" and no ETA.
func progressLine(done, total int, complete bool, doneThisRun int, elapsed time.Duration) string {
	var rate float64
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(doneThisRun) / s
	}
	if !complete {
		return fmt.Sprintf("%d/%d+ keys handled, listing  %.1f/s", done, total, rate)
	}
	percent := 100.0
	if total > 0 {
		percent = 100 * float64(done) / float64(total)
	}
	eta := "-"
	switch {
	case done >= total:
		eta = "0s"
	case rate > 0:
		eta = time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	return fmt.Sprintf("%d/%d keys handled (%.1f%%)  %.1f/s  ETA %s", done, total, percent, rate, eta)
}
