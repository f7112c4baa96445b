package backfill

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Runner runs one backfill. Build it with New; run it once.
type Runner struct {
	cfg      Config
	spec     string
	s3       S3API
	lambda   Invoker
	log      io.Writer
	progress *Progress
	events   eventMaker
	limiter  *rate.Limiter
	now      func() time.Time

	mu        sync.Mutex
	front     *frontier
	summary   Summary
	carried   map[string]bool // keys a resumed checkpoint says are handled, not yet listed again
	saveError error           // the last periodic save's error, reported once
	logError  error           // the first failed write to log, returned by Run
}

// job is one listed key on its way to a worker.
type job struct {
	seq  uint64
	item Item
}

// New returns a Runner for cfg (after WithDefaults). log receives a line per
// failure and, in a dry run, a line per event that would be sent; progress may
// be nil. lambda may be nil for a dry run.
func New(cfg Config, s3 S3API, lambda Invoker, log io.Writer, progress *Progress) (*Runner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if s3 == nil || log == nil || (lambda == nil && !cfg.DryRun) {
		return nil, errors.New("backfill needs an S3 client, a Lambda client (but for a dry run) and a log writer")
	}
	return &Runner{
		cfg:      cfg,
		spec:     cfg.Thumbnail.Spec(),
		s3:       s3,
		lambda:   lambda,
		log:      log,
		progress: progress,
		events:   newEventMaker(cfg.Bucket, cfg.Region),
		// A burst of one: never more than Rate events in any second.
		limiter: rate.NewLimiter(rate.Limit(cfg.Rate), 1),
		now:     time.Now,
	}, nil
}

// Run lists the bucket and hands every key that needs work to the function,
// until every key is handled or ctx is cancelled. Cancelling stops the
// listing and the waiting, lets invokes already started finish, saves the
// checkpoint and returns a Report with Interrupted set. A run that handles
// every key removes its checkpoint. The error is for what stops a run
// before its end (a listing or checkpoint failure); failures of single keys
// are counted in the Report instead.
func (r *Runner) Run(ctx context.Context) (Report, error) {
	started := r.now()
	report := Report{Bucket: r.cfg.Bucket, Prefix: r.cfg.Prefix, Spec: r.spec, Function: r.cfg.Function, DryRun: r.cfg.DryRun}
	if !r.cfg.DryRun {
		report.Checkpoint = r.cfg.Checkpoint
	}
	cp, err := r.startingPoint()
	if err != nil {
		return report, err
	}
	r.summary = cp.Summary.clone()
	r.front = newFrontier(deref(cp.After), cp.After != nil)
	r.carried = make(map[string]bool, len(cp.Done))
	for _, k := range cp.Done {
		r.carried[k] = true
	}

	after := deref(cp.After)
	items := Plan(Join(
		List(ctx, r.s3, r.cfg.Bucket, "", after),
		// After the prefix itself: its own folder marker is no thumbnail.
		List(ctx, r.s3, r.cfg.Bucket, r.cfg.Prefix, r.cfg.Prefix+after),
		r.cfg.Prefix), r.cfg.Prefix)

	r.progress.begin(r.summary.Handled())
	stopSaving := r.saveEvery(r.cfg.CheckpointEvery)
	jobs := make(chan job)
	var workers sync.WaitGroup
	for range r.cfg.Concurrency {
		workers.Go(func() {
			for j := range jobs {
				r.finish(j, r.handle(ctx, j.item))
			}
		})
	}
	listed, listErr := r.dispatch(ctx, items, jobs)
	close(jobs)
	workers.Wait()
	stopSaving()
	r.progress.end()

	r.mu.Lock()
	settled := listed && r.front.settled()
	last := r.snapshot()
	report.Summary = r.summary.clone()
	logErr := r.logError
	r.mu.Unlock()
	report.Elapsed = r.now().Sub(started)
	report.Interrupted = !settled
	if r.cfg.DryRun {
		return report, errors.Join(listErr, logErr)
	}
	if settled {
		err = RemoveCheckpoint(r.cfg.Checkpoint)
	} else {
		err = last.Save(r.cfg.Checkpoint)
	}
	return report, errors.Join(listErr, err, logErr)
}

// startingPoint returns the checkpoint to resume from, or a fresh one. A run
// that is not resuming refuses to start over an existing checkpoint, so saved
// progress is never lost by forgetting -resume.
func (r *Runner) startingPoint() (Checkpoint, error) {
	path := r.cfg.Checkpoint
	if r.cfg.Resume {
		cp, err := LoadCheckpoint(path)
		if errors.Is(err, fs.ErrNotExist) {
			return Checkpoint{}, fmt.Errorf("checkpoint %s: no such file, nothing to resume (run without -resume to start from the beginning)", path)
		}
		if err != nil {
			return Checkpoint{}, err
		}
		return cp, cp.matches(path, r.cfg.Bucket, r.cfg.Prefix, r.spec)
	}
	if !r.cfg.DryRun {
		_, err := os.Stat(path)
		switch {
		case err == nil:
			return Checkpoint{}, fmt.Errorf("checkpoint %s exists from an interrupted run: continue it with -resume, or delete the file to start over", path)
		case !errors.Is(err, fs.ErrNotExist):
			return Checkpoint{}, fmt.Errorf("checkpoint %s: %w", path, err)
		}
	}
	return Checkpoint{Version: checkpointVersion, Bucket: r.cfg.Bucket, Prefix: r.cfg.Prefix, Spec: r.spec}, nil
}

// dispatch reads the plan and hands each item to a worker, skips at once. It
// returns listed true when the listing reached its end, and the listing's
// error; an interruption is neither.
func (r *Runner) dispatch(ctx context.Context, items iter.Seq2[Item, error], jobs chan<- job) (listed bool, err error) {
	for it, err := range items {
		if ctx.Err() != nil {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		r.mu.Lock()
		seq := r.front.add(it.Key)
		carried := r.carried[it.Key]
		if carried {
			// Handled and counted before the interruption: pass over it.
			delete(r.carried, it.Key)
			r.front.done(seq)
		}
		r.mu.Unlock()
		if carried {
			continue
		}
		r.progress.listed()
		if it.Step == StepSkip {
			r.finish(job{seq: seq, item: it}, result{outcome: outcomeSkipped, reason: it.Reason})
			continue
		}
		select {
		case jobs <- job{seq: seq, item: it}:
		case <-ctx.Done():
			return false, nil
		}
	}
	if ctx.Err() != nil {
		return false, nil // the listing may have ended early because of it
	}
	r.progress.listingEnded()
	return true, nil
}

// finish records how a key ended and says so in the log when it failed, or,
// in a dry run, what would be sent.
func (r *Runner) finish(j job, res result) {
	if res.interrupted {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.front.done(j.seq)
	r.summary.add(res.outcome, res.reason, j.item.Key)
	r.progress.handled()
	var line string
	switch {
	case res.outcome == outcomeFailed:
		line = fmt.Sprintf("failed: %s %q: %s", j.item.Step, j.item.Key, res.reason)
	case r.cfg.DryRun && res.outcome == outcomeCreated:
		line = fmt.Sprintf("would create the thumbnail of %q (%s)", j.item.Key, res.reason)
	case r.cfg.DryRun && res.outcome == outcomeRemoved:
		line = fmt.Sprintf("would remove %q (%s)", r.cfg.Prefix+j.item.Key, res.reason)
	default:
		return
	}
	r.say(line)
}

// say writes one line to the log, above the progress line; the caller holds mu.
func (r *Runner) say(line string) {
	r.progress.above(func() {
		if _, err := fmt.Fprintln(r.log, line); err != nil && r.logError == nil {
			r.logError = fmt.Errorf("writing the log: %w", err)
		}
	})
}

// snapshot is the checkpoint of the run so far; the caller holds mu.
func (r *Runner) snapshot() Checkpoint {
	after, ok, done := r.front.resumePoint()
	// Keys a resumed checkpoint carried that the listing has not reached yet
	// are still handled: keep them, or a second resume would redo them.
	done = append(done, slices.Sorted(maps.Keys(r.carried))...)
	cp := Checkpoint{
		Version: checkpointVersion,
		Bucket:  r.cfg.Bucket,
		Prefix:  r.cfg.Prefix,
		Spec:    r.spec,
		Done:    done,
		Summary: r.summary.clone(),
		Saved:   r.now().UTC(),
	}
	if ok {
		cp.After = &after
	}
	return cp
}

// saveEvery writes the checkpoint every interval until the returned stop is
// called, so that even a killed run loses little. A dry run saves nothing.
// A failed save is said once in the log and tried again at the next tick.
func (r *Runner) saveEvery(interval time.Duration) (stop func()) {
	if r.cfg.DryRun {
		return func() {}
	}
	quit := make(chan struct{})
	var saver sync.WaitGroup
	saver.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				r.mu.Lock()
				cp := r.snapshot()
				r.mu.Unlock()
				err := cp.Save(r.cfg.Checkpoint)
				r.mu.Lock()
				if err != nil && r.saveError == nil {
					r.say("warning: " + err.Error())
				}
				r.saveError = err
				r.mu.Unlock()
			}
		}
	})
	return func() {
		close(quit)
		saver.Wait()
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
