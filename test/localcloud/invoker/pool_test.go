package invoker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/internal/testbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := testbin.Cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// harness is a pool of real emulators running the stand-in function.
type harness struct {
	pool     *Pool
	failures *FailureQueue
	pending  *PendingEvents
	mu       sync.Mutex
	lines    []string
	invoked  []Invocation
	// running and peak count invocations in progress at once.
	running, peak atomic.Int32
}

// counting runs a real runtime and counts invocations in progress.
type counting struct {
	Runtime
	h *harness
}

func (c counting) Invoke(ctx context.Context, id string, payload []byte) (emulator.Result, error) {
	n := c.h.running.Add(1)
	defer c.h.running.Add(-1)
	for {
		peak := c.h.peak.Load()
		if n <= peak || c.h.peak.CompareAndSwap(peak, n) {
			break
		}
	}
	return c.Runtime.Invoke(ctx, id, payload)
}

type options struct {
	concurrency int
	retries     int
	maxAge      time.Duration
	rie         string        // overrides the emulator binary
	state       string        // folder of the queue and the failure records; default: a new one
	retryDelay  time.Duration // default: 20ms
}

func newHarness(t *testing.T, o options) *harness {
	t.Helper()
	rie, standin := testbin.Standin(t)
	if o.rie != "" {
		rie = o.rie
	}
	if o.maxAge == 0 {
		o.maxAge = time.Hour
	}
	if o.state == "" {
		o.state = t.TempDir()
	}
	if o.retryDelay == 0 {
		o.retryDelay = 20 * time.Millisecond
	}
	h := &harness{failures: &FailureQueue{Dir: filepath.Join(o.state, "failures")}, pending: &PendingEvents{Dir: filepath.Join(o.state, "queue")}}
	var runtimes []Runtime
	for i := 0; i < o.concurrency; i++ {
		inst := emulator.New(emulator.Config{RIE: rie, Bootstrap: standin, FunctionName: "standin", MemoryMB: 128,
			Timeout: 10 * time.Second, Logs: h.log, Label: fmt.Sprint(i + 1)})
		runtimes = append(runtimes, counting{inst, h})
	}
	pool, err := New(Config{Runtimes: runtimes, Retries: o.retries, MaxEventAge: o.maxAge, RetryDelay: o.retryDelay,
		Failures: h.failures, Pending: h.pending, FunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:standin", MemoryMB: 128,
		Log: h.log, OnInvocation: func(inv Invocation) { h.mu.Lock(); h.invoked = append(h.invoked, inv); h.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	h.pool = pool
	t.Cleanup(func() {
		if err := pool.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return h
}

func (h *harness) log(line string) { h.mu.Lock(); h.lines = append(h.lines, line); h.mu.Unlock() }

func (h *harness) submit(t *testing.T, key, payload string) string {
	t.Helper()
	id, err := h.pool.Submit(Event{Payload: []byte(payload), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (h *harness) wait(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := h.pool.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

// attempts returns the attempts made for key.
func (h *harness) attempts(key string) []Invocation {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Invocation
	for _, inv := range h.invoked {
		if inv.Key == key {
			out = append(out, inv)
		}
	}
	return out
}

func (h *harness) linesWith(prefix string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, l := range h.lines {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

func TestPoolRunsEventsWithinConcurrency(t *testing.T) {
	h := newHarness(t, options{concurrency: 2})
	for i := 0; i < 6; i++ {
		h.submit(t, fmt.Sprintf("k%d", i), `{"sleepMs":150}`)
	}
	h.wait(t)
	cold := 0
	for i := 0; i < 6; i++ {
		got := h.attempts(fmt.Sprintf("k%d", i))
		if len(got) != 1 || got[0].Result.Failed() || got[0].Attempt != 1 {
			t.Errorf("k%d: %+v", i, got)
		}
		if len(got) == 1 && got[0].Result.InitDuration > 0 {
			cold++
		}
	}
	if cold != 2 {
		t.Errorf("%d cold starts, want one per environment (2)", cold)
	}
	if peak := h.peak.Load(); peak != 2 {
		t.Errorf("%d invocations ran at once, want 2", peak)
	}
	if reports := h.linesWith("REPORT RequestId: "); len(reports) != 6 {
		t.Errorf("%d REPORT lines, want 6: %q", len(reports), reports)
	}
	if records, err := h.failures.Records(); err != nil || len(records) != 0 {
		t.Errorf("failure records %v, %v", records, err)
	}
}

func TestPoolRetriesFunctionErrorsThenRecordsTheEvent(t *testing.T) {
	tests := []struct {
		retries int
	}{{0}, {2}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d retries", tt.retries), func(t *testing.T) {
			h := newHarness(t, options{concurrency: 1, retries: tt.retries})
			payload := `{"fail":"thumbnail store unavailable"}`
			id := h.submit(t, "broken.jpg", payload)
			h.submit(t, "fine.jpg", `{}`)
			h.wait(t)
			got := h.attempts("broken.jpg")
			if len(got) != tt.retries+1 {
				t.Fatalf("%d attempts, want %d", len(got), tt.retries+1)
			}
			for i, inv := range got {
				if inv.Attempt != i+1 || inv.Result.RequestID != id || inv.Result.ErrorType != "errorString" {
					t.Errorf("attempt %d: %+v", i+1, inv)
				}
			}
			if n := len(h.attempts("fine.jpg")); n != 1 {
				t.Errorf("the other event ran %d times", n)
			}
			records, err := h.failures.Records()
			if err != nil || len(records) != 1 {
				t.Fatalf("records %+v, %v", records, err)
			}
			rec := records[0]
			var sent bytes.Buffer
			if err := json.Compact(&sent, rec.RequestPayload); err != nil {
				t.Fatal(err)
			}
			if rec.RequestContext.RequestID != id || rec.RequestContext.Condition != ConditionRetriesExhausted ||
				rec.RequestContext.ApproximateInvokeCount != tt.retries+1 || sent.String() != payload {
				t.Errorf("record %+v payload %s", rec.RequestContext, rec.RequestPayload)
			}
			var response struct{ ErrorMessage, ErrorType string }
			if err := json.Unmarshal(rec.ResponsePayload, &response); err != nil || response.ErrorMessage != "thumbnail store unavailable" {
				t.Errorf("response payload %s: %v", rec.ResponsePayload, err)
			}
			if rec.ResponseContext == nil || rec.ResponseContext.FunctionError != "Unhandled" {
				t.Errorf("response context %+v", rec.ResponseContext)
			}
			if failed := h.linesWith("FAILED RequestId: " + id); len(failed) != 1 || !strings.Contains(failed[0], "Key: broken.jpg") {
				t.Errorf("FAILED lines %q", failed)
			}
		})
	}
}

func TestPoolGivesUpOnOldEvents(t *testing.T) {
	h := newHarness(t, options{concurrency: 1, maxAge: time.Minute})
	if _, err := h.pool.Submit(Event{Payload: []byte(`{}`), Key: "old.jpg", Received: time.Now().Add(-2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	h.wait(t)
	if n := len(h.attempts("old.jpg")); n != 0 {
		t.Errorf("an expired event ran %d times", n)
	}
	records, err := h.failures.Records()
	if err != nil || len(records) != 1 || records[0].RequestContext.Condition != ConditionEventAgeExceeded || records[0].ResponseContext != nil {
		t.Fatalf("records %+v, %v", records, err)
	}
}

func TestPoolCountsEnvironmentFailures(t *testing.T) {
	h := newHarness(t, options{concurrency: 1, retries: 1, rie: filepath.Join(t.TempDir(), "no-such-emulator")})
	h.submit(t, "a.jpg", `{}`)
	h.wait(t)
	got := h.attempts("a.jpg")
	if len(got) != 2 || got[0].Err == nil || got[0].Result.ErrorType != "Local.EnvironmentFailure" {
		t.Fatalf("attempts %+v", got)
	}
	if records, err := h.failures.Records(); err != nil || len(records) != 1 {
		t.Errorf("records %+v, %v", records, err)
	}
}
