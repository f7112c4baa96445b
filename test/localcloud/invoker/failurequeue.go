package invoker

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Conditions under which Lambda gives up on an asynchronous event.
const (
	ConditionRetriesExhausted = "RetriesExhausted"
	ConditionEventAgeExceeded = "EventAgeExceeded"
)

// FailureRecord is what Lambda sends to an on-failure destination for an asynchronous
// invocation it gave up on.
type FailureRecord struct {
	Version         string           `json:"version"`
	Timestamp       string           `json:"timestamp"`
	RequestContext  RequestContext   `json:"requestContext"`
	RequestPayload  json.RawMessage  `json:"requestPayload"`
	ResponseContext *ResponseContext `json:"responseContext,omitempty"`
	ResponsePayload json.RawMessage  `json:"responsePayload,omitempty"`
}

// RequestContext identifies the invocation and why it failed.
type RequestContext struct {
	RequestID              string `json:"requestId"`
	FunctionARN            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

// ResponseContext describes the last invocation's answer.
type ResponseContext struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion"`
	FunctionError   string `json:"functionError,omitempty"`
}

// FailureQueue is a local on-failure destination: a folder with one JSON file per record.
type FailureQueue struct {
	// Dir holds the records.
	Dir string
}

// Write stores a record and returns its file's path.
func (q *FailureQueue) Write(rec FailureRecord) (string, error) {
	if err := os.MkdirAll(q.Dir, 0o755); err != nil {
		return "", fmt.Errorf("failure queue %s: %w", q.Dir, err)
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("failure record %s: %w", rec.RequestContext.RequestID, err)
	}
	stamp := strings.NewReplacer(":", "", "-", "").Replace(rec.Timestamp)
	path := filepath.Join(q.Dir, stamp+"-"+rec.RequestContext.RequestID+".json")
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("failure queue %s: %w", q.Dir, err)
	}
	return path, nil
}

// Records reads every record in the queue, oldest first.
func (q *FailureQueue) Records() ([]FailureRecord, error) {
	paths, err := filepath.Glob(filepath.Join(q.Dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := make([]FailureRecord, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var rec FailureRecord
		if err := json.Unmarshal(data, &rec); err != nil {
			return nil, fmt.Errorf("failure record %s: %w", p, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// timestamp formats t as Lambda does in records.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
