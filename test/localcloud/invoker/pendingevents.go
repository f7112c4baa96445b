package invoker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
)

// PendingEvents is the durable half of the asynchronous queue: the events a Pool accepted
// and has not finished, one JSON file per event, so that a local cloud stopped or killed
// with events still queued delivers them when it starts again, as Lambda's queue keeps
// them. A file is written when its event is accepted, rewritten after each failed
// attempt, and removed once the event succeeded or its failure record was written. Every
// write is atomic: a complete temporary file, synced, renamed over the old one.
type PendingEvents struct {
	// Dir holds the files.
	Dir string
}

// PendingEvent is the file of one accepted, unfinished event.
type PendingEvent struct {
	// RequestID is the invocation's request ID, kept across attempts and restarts; the
	// file is named after it.
	RequestID string `json:"requestId"`
	// Key names the event in reports (the S3 object key).
	Key string `json:"key"`
	// FirstSeen is when the event was sent; its age counts from here across restarts.
	FirstSeen time.Time `json:"firstSeen"`
	// Attempts is how many invocations have ended in an error so far.
	Attempts int `json:"attempts"`
	// LastErrorType and LastResponse are the last failed attempt's error type and answer.
	LastErrorType string          `json:"lastErrorType,omitempty"`
	LastResponse  json.RawMessage `json:"lastResponse,omitempty"`
	// Payload is the event's JSON document, byte for byte when it was compact.
	Payload json.RawMessage `json:"payload"`
}

// fileSuffix ends every event file; temporary files end differently, so a write cut
// short by a crash is never read as an event.
const (
	fileSuffix = ".json"
	tempSuffix = ".tmp"
)

// save writes the event's file, replacing the previous one in a single step.
func (q *PendingEvents) save(ev PendingEvent) error {
	if err := os.MkdirAll(q.Dir, 0o755); err != nil {
		return fmt.Errorf("event queue %s: %w", q.Dir, err)
	}
	// Compact and without HTML escapes, so that a compact payload keeps its bytes.
	var data bytes.Buffer
	enc := json.NewEncoder(&data)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil {
		return fmt.Errorf("queued event %s: %w", ev.RequestID, err)
	}
	tmp, err := os.CreateTemp(q.Dir, "."+ev.RequestID+"-*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("event queue %s: %w", q.Dir, err)
	}
	_, writeErr := tmp.Write(data.Bytes())
	syncErr := tmp.Sync()
	closeErr := tmp.Close()
	if err := errors.Join(writeErr, syncErr, closeErr); err != nil {
		return errors.Join(fmt.Errorf("queued event %s: %w", ev.RequestID, err), os.Remove(tmp.Name()))
	}
	if err := os.Rename(tmp.Name(), q.path(ev.RequestID)); err != nil {
		return errors.Join(fmt.Errorf("queued event %s: %w", ev.RequestID, err), os.Remove(tmp.Name()))
	}
	return nil
}

// remove deletes the event's file; a file already gone is not an error.
func (q *PendingEvents) remove(requestID string) error {
	if err := os.Remove(q.path(requestID)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("queued event %s: %w", requestID, err)
	}
	return nil
}

func (q *PendingEvents) path(requestID string) string {
	return filepath.Join(q.Dir, requestID+fileSuffix)
}

// List reads every pending event, oldest first.
func (q *PendingEvents) List() ([]PendingEvent, error) {
	entries, err := os.ReadDir(q.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("event queue %s: %w", q.Dir, err)
	}
	var out []PendingEvent
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), fileSuffix) {
			continue
		}
		ev, err := q.read(e.Name())
		if errors.Is(err, os.ErrNotExist) {
			continue // finished since the folder was read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].FirstSeen.Equal(out[j].FirstSeen) {
			return out[i].FirstSeen.Before(out[j].FirstSeen)
		}
		return out[i].RequestID < out[j].RequestID
	})
	return out, nil
}

// read reads the event file name.
func (q *PendingEvents) read(name string) (PendingEvent, error) {
	path := filepath.Join(q.Dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		return PendingEvent{}, fmt.Errorf("queued event %s: %w", path, err)
	}
	var ev PendingEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return PendingEvent{}, fmt.Errorf("queued event %s: %w", path, err)
	}
	if ev.RequestID+fileSuffix != name || len(ev.Payload) == 0 {
		return PendingEvent{}, fmt.Errorf("queued event %s: not an event file (request ID %q, %d payload bytes)", path, ev.RequestID, len(ev.Payload))
	}
	return ev, nil
}

// resume deletes the temporary files of writes a crash cut short (the previous file of
// their event, if any, is intact) and lists the pending events. Only a pool starting,
// before anything writes, may call it.
func (q *PendingEvents) resume() ([]PendingEvent, error) {
	temps, err := filepath.Glob(filepath.Join(q.Dir, "*"+tempSuffix))
	if err != nil {
		return nil, fmt.Errorf("event queue %s: %w", q.Dir, err)
	}
	for _, t := range temps {
		if err := os.Remove(t); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("event queue %s: %w", q.Dir, err)
		}
	}
	return q.List()
}

// pending is the file of job j.
func pending(j *job) PendingEvent {
	ev := PendingEvent{RequestID: j.requestID, Key: j.ev.Key, FirstSeen: j.ev.Received, Attempts: j.attempts, Payload: j.ev.Payload}
	if j.last != nil {
		ev.LastErrorType = j.last.ErrorType
		if json.Valid(j.last.Payload) {
			ev.LastResponse = j.last.Payload
		}
	}
	return ev
}

// resumed is the job of a pending event read back.
func resumed(ev PendingEvent) *job {
	j := &job{ev: Event{Payload: ev.Payload, Key: ev.Key, Received: ev.FirstSeen}, requestID: ev.RequestID, attempts: ev.Attempts}
	if ev.Attempts > 0 {
		j.last = &emulator.Result{RequestID: ev.RequestID, ErrorType: ev.LastErrorType, Payload: ev.LastResponse}
	}
	return j
}
