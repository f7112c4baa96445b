// Package invoker gives events to the function with Lambda's asynchronous semantics: a
// durable queue, as many execution environments as the function's concurrency, retries
// of function errors, a maximum event age, and an on-failure destination for events given
// up on. Nothing is dropped silently: an accepted event is on disk until it succeeded or
// its failure record was written, and a pool started on the same folder resumes it.
package invoker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
)

// Runtime is one execution environment; *emulator.Instance is one.
type Runtime interface {
	Invoke(ctx context.Context, requestID string, payload []byte) (emulator.Result, error)
	Close() error
}

var _ Runtime = (*emulator.Instance)(nil)

// Config configures a Pool.
type Config struct {
	// Runtimes are the execution environments; their number is the concurrency.
	Runtimes []Runtime
	// Retries after a function error (Lambda: 0-2) and MaxEventAge bound the attempts.
	Retries     int
	MaxEventAge time.Duration
	// RetryDelay is the wait before the first retry; the second waits twice as long.
	// Lambda waits about a minute; locally a second keeps feedback quick. Default: 1s.
	RetryDelay time.Duration
	// Failures receives the events given up on. Required.
	Failures *FailureQueue
	// Pending keeps the accepted events until they are done; New resumes those a
	// previous pool left. Required.
	Pending *PendingEvents
	// DestinationNote is appended to the message about a failure record, e.g. to say
	// that the template has no on-failure destination.
	DestinationNote string
	// FunctionARN and MemoryMB appear in failure records and REPORT lines.
	FunctionARN string
	MemoryMB    int
	// Log receives REPORT lines and messages about failed events. Required.
	Log func(line string)
	// OnInvocation, when set, sees every attempt after it is reported.
	OnInvocation func(Invocation)
}

// Event is an event for the function.
type Event struct {
	// Payload is the event's JSON document.
	Payload []byte
	// Key names the event in reports (the S3 object key).
	Key string
	// Received is when the event was sent; its age counts from here.
	Received time.Time
}

// Invocation is one attempt at an event.
type Invocation struct {
	Key     string
	Attempt int // 1 for the first
	Result  emulator.Result
	// Err is set when the environment failed rather than the function.
	Err error
}

// Pool delivers events to the runtimes.
type Pool struct {
	cfg Config

	mu          sync.Mutex
	cond        *sync.Cond
	queue       []*job
	outstanding int // submitted and not yet finished
	closed      bool
	retryTimers map[*job]*time.Timer

	workers sync.WaitGroup
}

// job is an event with the state of its delivery.
type job struct {
	ev        Event
	requestID string
	attempts  int
	last      *emulator.Result
}

// New queues the events a previous pool on the same Pending folder left unfinished, in
// the order they were first seen, and starts a worker per runtime.
func New(cfg Config) (*Pool, error) {
	if len(cfg.Runtimes) == 0 || cfg.Failures == nil || cfg.Pending == nil || cfg.Log == nil {
		return nil, errors.New("invoker: Runtimes, Failures, Pending and Log are required")
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = time.Second
	}
	left, err := cfg.Pending.resume()
	if err != nil {
		return nil, err
	}
	p := &Pool{cfg: cfg, retryTimers: map[*job]*time.Timer{}}
	p.cond = sync.NewCond(&p.mu)
	for _, ev := range left {
		p.queue = append(p.queue, resumed(ev))
	}
	p.outstanding = len(left)
	if len(left) > 0 {
		cfg.Log(fmt.Sprintf("[local cloud] %d events accepted before the last stop are queued again (from %s)", len(left), cfg.Pending.Dir))
	}
	for _, rt := range cfg.Runtimes {
		p.workers.Add(1)
		go p.work(rt)
	}
	return p, nil
}

// ErrPayloadNotJSON is returned by Submit for a payload that is not a JSON document,
// which Lambda refuses too, and which no failure record could hold.
var ErrPayloadNotJSON = errors.New("invoker: the event is not a JSON document")

// Submit queues an event, as an asynchronous Invoke does, and returns its request ID once
// the event is on disk: from then on it survives a stop or a crash of the local cloud.
// After Close the event is kept on disk for the next start, as a queue whose consumer
// stopped still takes events.
func (p *Pool) Submit(ev Event) (string, error) {
	if !json.Valid(ev.Payload) {
		return "", ErrPayloadNotJSON
	}
	if ev.Received.IsZero() {
		ev.Received = time.Now()
	}
	j := &job{ev: ev, requestID: uuid.NewString()}
	if err := p.cfg.Pending.save(pending(j)); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return j.requestID, nil
	}
	p.outstanding++
	p.queue = append(p.queue, j)
	p.cond.Broadcast()
	return j.requestID, nil
}

// WaitIdle waits until every submitted event has succeeded or been written to the
// failure queue, including events retried later, or, after Close, until the events in
// progress have ended and the others are left for the next start.
func (p *Pool) WaitIdle(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.outstanding > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%d events still in progress: %w", p.outstanding, err)
		}
		p.cond.Wait()
	}
	return nil
}

// Close stops invoking and lets invocations in progress finish. Events not yet
// delivered, those waiting for a retry and those submitted later stay on disk for the
// next start, as a real asynchronous queue keeps them; none is written to the failure
// queue for the stop.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	left := len(p.queue)
	p.queue = nil
	for j, timer := range p.retryTimers {
		// A timer that already fired finds its entry gone and queues nothing.
		timer.Stop()
		delete(p.retryTimers, j)
		left++
	}
	p.outstanding -= left
	p.cond.Broadcast()
	p.mu.Unlock()

	p.workers.Wait()
	if kept, err := p.cfg.Pending.List(); err != nil {
		p.cfg.Log(fmt.Sprintf("[local cloud] %v", err))
	} else if len(kept) > 0 {
		p.cfg.Log(fmt.Sprintf("[local cloud] %d events stay queued for the next start (in %s)", len(kept), p.cfg.Pending.Dir))
	}
	var errs []error
	for _, rt := range p.cfg.Runtimes {
		errs = append(errs, rt.Close())
	}
	return errors.Join(errs...)
}

// work runs events on one runtime until the pool closes.
func (p *Pool) work(rt Runtime) {
	defer p.workers.Done()
	for {
		j := p.next()
		if j == nil {
			return
		}
		p.attempt(rt, j)
	}
}

// next blocks for a job; nil once the pool is closed.
func (p *Pool) next() *job {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.queue) == 0 && !p.closed {
		p.cond.Wait()
	}
	if p.closed {
		return nil
	}
	j := p.queue[0]
	p.queue = p.queue[1:]
	return j
}

func (p *Pool) attempt(rt Runtime, j *job) {
	switch {
	case time.Since(j.ev.Received) > p.cfg.MaxEventAge:
		p.finish(j, p.giveUp(j, ConditionEventAgeExceeded))
		return
	case j.attempts > p.cfg.Retries:
		// Resumed after a stop that came between its last attempt and its record.
		p.finish(j, p.giveUp(j, ConditionRetriesExhausted))
		return
	}
	j.attempts++
	res, err := rt.Invoke(context.Background(), j.requestID, j.ev.Payload)
	if err != nil {
		// The environment failed, not the function: it is replaced on the next use. The
		// attempt counts, so a broken environment cannot retry an event forever.
		res = emulator.Result{RequestID: j.requestID, ErrorType: "Local.EnvironmentFailure", ErrorMessage: err.Error()}
		res.Payload = errorDocument(res.ErrorType, res.ErrorMessage)
		p.cfg.Log(fmt.Sprintf("[local cloud] execution environment failed on %s: %v", j.ev.Key, err))
	}
	j.last = &res
	p.cfg.Log(ReportLine(res, j.ev.Key, p.cfg.MemoryMB))
	if p.cfg.OnInvocation != nil {
		p.cfg.OnInvocation(Invocation{Key: j.ev.Key, Attempt: j.attempts, Result: res, Err: err})
	}
	switch {
	case !res.Failed():
		p.finish(j, nil)
	case j.attempts > p.cfg.Retries:
		p.finish(j, p.giveUp(j, ConditionRetriesExhausted))
	default:
		if err := p.cfg.Pending.save(pending(j)); err != nil {
			// The retry still happens; only a restart before it would repeat the attempt.
			p.cfg.Log(fmt.Sprintf("[local cloud] %s: %v", j.ev.Key, err))
		}
		p.retryLater(j, p.cfg.RetryDelay*time.Duration(j.attempts))
	}
}

// retryLater puts the job back in the queue after delay; once the pool is closed it is
// left on disk for the next start.
func (p *Pool) retryLater(j *job, delay time.Duration) {
	p.mu.Lock()
	if p.closed {
		p.outstanding--
		p.cond.Broadcast()
		p.mu.Unlock()
		return
	}
	p.retryTimers[j] = time.AfterFunc(delay, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if _, pending := p.retryTimers[j]; !pending {
			return
		}
		delete(p.retryTimers, j)
		p.queue = append(p.queue, j)
		p.cond.Broadcast()
	})
	p.mu.Unlock()
}

// finish marks a job done and removes it from disk; err is a failure to record it, which
// is logged, and which keeps it on disk so that the next start tries again.
func (p *Pool) finish(j *job, err error) {
	if err == nil {
		err = p.cfg.Pending.remove(j.requestID)
	} else {
		err = errors.Join(err, p.cfg.Pending.save(pending(j)))
	}
	if err != nil {
		p.cfg.Log(fmt.Sprintf("[local cloud] %s: %v", j.ev.Key, err))
	}
	p.mu.Lock()
	p.outstanding--
	p.cond.Broadcast()
	p.mu.Unlock()
}

// giveUp writes the job to the failure queue and says so.
func (p *Pool) giveUp(j *job, condition string) error {
	rec := FailureRecord{
		Version:   "1.0",
		Timestamp: timestamp(time.Now()),
		RequestContext: RequestContext{
			RequestID:              j.requestID,
			FunctionARN:            p.cfg.FunctionARN + ":$LATEST",
			Condition:              condition,
			ApproximateInvokeCount: j.attempts,
		},
		RequestPayload: json.RawMessage(j.ev.Payload),
	}
	if j.last != nil {
		rec.ResponseContext = &ResponseContext{StatusCode: 200, ExecutedVersion: "$LATEST"}
		if j.last.Failed() {
			rec.ResponseContext.FunctionError = "Unhandled"
		}
		if json.Valid(j.last.Payload) {
			rec.ResponsePayload = json.RawMessage(j.last.Payload)
		}
	}
	path, err := p.cfg.Failures.Write(rec)
	if err != nil {
		return fmt.Errorf("event %s (%s) given up on (%s) but not recorded: %w", j.requestID, j.ev.Key, condition, err)
	}
	msg := fmt.Sprintf("FAILED RequestId: %s\tKey: %s\tCondition: %s\tAttempts: %d\tRecord: %s", j.requestID, printable(j.ev.Key), condition, j.attempts, path)
	if p.cfg.DestinationNote != "" {
		msg += "\t(" + p.cfg.DestinationNote + ")"
	}
	p.cfg.Log(msg)
	return nil
}

// errorDocument is a function error's JSON document.
func errorDocument(errorType, message string) []byte {
	doc, err := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{message, errorType})
	if err != nil { // strings always marshal; keep the record valid regardless
		return []byte(`{}`)
	}
	return doc
}
