package invoker

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitFor polls cond until it holds or a few seconds passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) listed(t *testing.T) map[string]PendingEvent {
	t.Helper()
	list, err := h.pending.List()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]PendingEvent{}
	for _, ev := range list {
		out[ev.Key] = ev
	}
	return out
}

func TestPoolCloseKeepsUndeliveredEventsForTheNextStart(t *testing.T) {
	state := t.TempDir()
	// The first pool waits an hour before a retry, so its failed event is still waiting
	// when it stops.
	first := newHarness(t, options{concurrency: 1, retries: 2, state: state, retryDelay: time.Hour})
	retrying := first.submit(t, "retrying.jpg", `{"fail":"thumbnail store unavailable"}`)
	waitFor(t, "the first attempt", func() bool { return len(first.attempts("retrying.jpg")) == 1 })
	first.submit(t, "running.jpg", `{"sleepMs":400}`)
	waitFor(t, "an invocation in progress", func() bool { return first.running.Load() == 1 })
	waiting := first.submit(t, "waiting.jpg", `{}`)
	if err := first.pool.Close(); err != nil {
		t.Fatal(err)
	}

	if got := first.attempts("running.jpg"); len(got) != 1 || got[0].Result.Failed() {
		t.Errorf("the invocation in progress: %+v", got)
	}
	if records, err := first.failures.Records(); err != nil || len(records) != 0 {
		t.Fatalf("failure records %+v, %v; a stop records nothing", records, err)
	}
	kept := first.listed(t)
	if ev := kept["retrying.jpg"]; len(kept) != 2 || ev.RequestID != retrying || ev.Attempts != 1 || ev.LastErrorType != "errorString" ||
		kept["waiting.jpg"].RequestID != waiting || kept["waiting.jpg"].Attempts != 0 {
		t.Fatalf("kept %+v, want the waiting event and the one waiting for its retry", kept)
	}
	late, err := first.pool.Submit(Event{Payload: []byte(`{}`), Key: "late.jpg"})
	if err != nil {
		t.Fatalf("Submit after Close: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := first.pool.WaitIdle(ctx); err != nil {
		t.Errorf("WaitIdle after Close: %v", err)
	}
	if lines := first.linesWith("[local cloud] 2 events stay queued"); len(lines) != 1 {
		t.Errorf("no line says what stays queued: %q", first.lines)
	}

	second := newHarness(t, options{concurrency: 1, retries: 2, state: state})
	second.wait(t)
	if got := second.attempts("waiting.jpg"); len(got) != 1 || got[0].Attempt != 1 || got[0].Result.RequestID != waiting || got[0].Result.Failed() {
		t.Errorf("the waiting event after the start: %+v", got)
	}
	got := second.attempts("retrying.jpg")
	if len(got) != 2 || got[0].Attempt != 2 || got[1].Attempt != 3 || got[1].Result.RequestID != retrying {
		t.Fatalf("the retried event after the start: %+v, want its attempts 2 and 3", got)
	}
	records, err := second.failures.Records()
	if err != nil || len(records) != 1 || records[0].RequestContext.RequestID != retrying ||
		records[0].RequestContext.ApproximateInvokeCount != 3 || records[0].RequestContext.Condition != ConditionRetriesExhausted {
		t.Fatalf("records %+v, %v", records, err)
	}
	if kept := second.listed(t); len(kept) != 0 {
		t.Errorf("still queued after delivery: %+v", kept)
	}
	if got := second.attempts("late.jpg"); len(got) != 1 || got[0].Result.RequestID != late || got[0].Result.Failed() {
		t.Errorf("the event submitted after the stop, after the start: %+v", got)
	}
	if lines := second.linesWith("[local cloud] 3 events accepted before the last stop are queued again"); len(lines) != 1 {
		t.Errorf("no line says what was queued again: %q", second.lines)
	}
}

func TestResumedEventKeepsItsFirstSeenTime(t *testing.T) {
	state := t.TempDir()
	first := newHarness(t, options{concurrency: 1, state: state})
	first.submit(t, "running.jpg", `{"sleepMs":300}`)
	waitFor(t, "an invocation in progress", func() bool { return first.running.Load() == 1 })
	seen := time.Now().Add(-30 * time.Minute)
	if _, err := first.pool.Submit(Event{Payload: []byte(`{}`), Key: "old.jpg", Received: seen}); err != nil {
		t.Fatal(err)
	}
	if err := first.pool.Close(); err != nil {
		t.Fatal(err)
	}
	if ev := first.listed(t)["old.jpg"]; !ev.FirstSeen.Equal(seen) {
		t.Fatalf("kept first-seen time %v, want %v", ev.FirstSeen, seen)
	}

	second := newHarness(t, options{concurrency: 1, state: state, maxAge: 10 * time.Minute})
	second.wait(t)
	if n := len(second.attempts("old.jpg")); n != 0 {
		t.Errorf("an event older than the maximum age ran %d times", n)
	}
	records, err := second.failures.Records()
	if err != nil || len(records) != 1 || records[0].RequestContext.Condition != ConditionEventAgeExceeded {
		t.Fatalf("records %+v, %v", records, err)
	}
}

func TestSubmitStoresTheEventBeforeAccepting(t *testing.T) {
	h := newHarness(t, options{concurrency: 1})
	h.submit(t, "running.jpg", `{"sleepMs":300}`)
	id := h.submit(t, "queued.jpg", `{"n":1,"key":"a&b<c>.jpg"}`)
	ev, ok := h.listed(t)["queued.jpg"]
	if !ok || ev.RequestID != id || string(ev.Payload) != `{"n":1,"key":"a&b<c>.jpg"}` || ev.Attempts != 0 || ev.FirstSeen.IsZero() {
		t.Fatalf("stored %+v (%v), want the event as accepted", ev, ok)
	}
	if _, err := h.pool.Submit(Event{Payload: []byte("not json"), Key: "bad"}); !errors.Is(err, ErrPayloadNotJSON) {
		t.Errorf("Submit of a payload that is not JSON: %v", err)
	}
	h.wait(t)
	if kept := h.listed(t); len(kept) != 0 {
		t.Errorf("still stored after delivery: %+v", kept)
	}
}

func TestEventWithoutRecordStaysQueued(t *testing.T) {
	state := t.TempDir()
	h := newHarness(t, options{concurrency: 1, state: state})
	// The failure queue's folder cannot be made: its parent is a file.
	if err := os.WriteFile(filepath.Join(state, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h.failures.Dir = filepath.Join(state, "file", "failures")
	id := h.submit(t, "broken.jpg", `{"fail":"boom"}`)
	h.wait(t)
	ev, ok := h.listed(t)["broken.jpg"]
	if !ok || ev.RequestID != id || ev.Attempts != 1 {
		t.Fatalf("queued %+v (%v); an event whose record could not be written must stay queued", ev, ok)
	}
	if lines := h.linesWith("[local cloud] broken.jpg: event " + id); len(lines) != 1 || !strings.Contains(lines[0], "not recorded") {
		t.Errorf("no line says the record is missing: %q", h.lines)
	}
}

func TestResumedEventPastItsRetriesIsRecordedWithoutAnotherAttempt(t *testing.T) {
	state := t.TempDir()
	// A stop that came after the last attempt and before its failure record.
	queue := &PendingEvents{Dir: filepath.Join(state, "queue")}
	if err := queue.save(PendingEvent{RequestID: "r-1", Key: "spent.jpg", FirstSeen: time.Now(), Attempts: 3,
		LastErrorType: "errorString", LastResponse: []byte(`{"errorMessage":"SlowDown","errorType":"errorString"}`), Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, options{concurrency: 1, retries: 2, state: state})
	h.wait(t)
	if n := len(h.attempts("spent.jpg")); n != 0 {
		t.Errorf("an event past its retries ran %d more times", n)
	}
	records, err := h.failures.Records()
	if err != nil || len(records) != 1 {
		t.Fatalf("records %+v, %v", records, err)
	}
	rec := records[0]
	if rec.RequestContext.RequestID != "r-1" || rec.RequestContext.Condition != ConditionRetriesExhausted || rec.RequestContext.ApproximateInvokeCount != 3 ||
		rec.ResponseContext == nil || rec.ResponseContext.FunctionError != "Unhandled" || !strings.Contains(string(rec.ResponsePayload), "SlowDown") {
		t.Errorf("record %+v, response %+v %s", rec.RequestContext, rec.ResponseContext, rec.ResponsePayload)
	}
	if kept := h.listed(t); len(kept) != 0 {
		t.Errorf("still queued: %+v", kept)
	}
}
