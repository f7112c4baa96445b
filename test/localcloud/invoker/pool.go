// Package invoker gives events to the function with Lambda's asynchronous semantics: a
// queue, as many execution environments as the function's concurrency, retries of
// function errors, a maximum event age, and an on-failure destination for events given
// up on. Nothing is dropped silently.
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

// New starts a worker per runtime.
func New(cfg Config) (*Pool, error) {
	if len(cfg.Runtimes) == 0 || cfg.Failures == nil || cfg.Log == nil {
		return nil, errors.New("invoker: Runtimes, Failures and Log are required")
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = time.Second
	}
	p := &Pool{cfg: cfg, retryTimers: map[*job]*time.Timer{}}
	p.cond = sync.NewCond(&p.mu)
	for _, rt := range cfg.Runtimes {
		p.workers.Add(1)
		go p.work(rt)
	}
	return p, nil
}

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("invoker: the pool is closed")

// Submit queues an event, as an asynchronous Invoke does, and returns its request ID.
func (p *Pool) Submit(ev Event) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return "", ErrClosed
	}
	if ev.Received.IsZero() {
		ev.Received = time.Now()
	}
	j := &job{ev: ev, requestID: uuid.NewString()}
	p.outstanding++
	p.queue = append(p.queue, j)
	p.cond.Broadcast()
	return j.requestID, nil
}

// WaitIdle waits until every submitted event has succeeded or been written to the
// failure queue, including events retried later.
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

// Close stops taking events, lets invocations in progress finish, writes the events not
// yet delivered to the failure queue, and stops the runtimes.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	left := p.queue
	p.queue = nil
	for j, timer := range p.retryTimers {
		if timer.Stop() {
			left = append(left, j)
		}
		delete(p.retryTimers, j)
	}
	p.cond.Broadcast()
	p.mu.Unlock()

	for _, j := range left {
		p.finish(j, p.giveUp(j, ConditionStopped))
	}
	p.workers.Wait()
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
	if time.Since(j.ev.Received) > p.cfg.MaxEventAge {
		p.finish(j, p.giveUp(j, ConditionEventAgeExceeded))
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
		p.retryLater(j, p.cfg.RetryDelay*time.Duration(j.attempts))
	}
}

// retryLater puts the job back in the queue after delay.
func (p *Pool) retryLater(j *job, delay time.Duration) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.finish(j, p.giveUp(j, ConditionStopped))
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

// finish marks a job done; err is a failure to record it, which is logged.
func (p *Pool) finish(j *job, err error) {
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
