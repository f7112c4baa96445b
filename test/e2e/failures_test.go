package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

func TestBrokenImageIsLoggedNotRetried(t *testing.T) {
	e := start(t, cloudOptions{})
	e.put("broken.jpg", readFile(t, samplePath("broken.jpg")), "image/jpeg")
	e.wait()

	invs := e.cloud.Invocations("broken.jpg")
	if len(invs) != 1 {
		t.Fatalf("%d invocations, want 1: a broken image is not retried", len(invs))
	}
	if invs[0].Result.Failed() {
		t.Errorf("the invocation failed (%s), so Lambda would retry it", invs[0].Result.ErrorType)
	}
	if _, ok := e.get(e.prefix + "broken.jpg"); ok {
		t.Error("a thumbnail was written for a broken image")
	}
	var logged []logFields
	for _, f := range e.logs.about("broken.jpg") {
		if f.Level == "ERROR" || f.Level == "WARN" {
			logged = append(logged, f)
		}
	}
	if len(logged) != 1 || !strings.Contains(logged[0].Reason, "corrupt") {
		t.Errorf("log lines about broken.jpg: %+v, want one error with its reason", logged)
	}
	if records, err := e.cloud.Failures().Records(); err != nil || len(records) != 0 {
		t.Errorf("failure records %+v, %v; want none", records, err)
	}
}

// TestFunctionErrorIsRetriedThenRecorded makes the S3 API answer 503 SlowDown to the
// function's download, a real transient failure: the function fails, Lambda's retries
// run, and the event ends in the failure queue.
func TestFunctionErrorIsRetriedThenRecorded(t *testing.T) {
	e := start(t, cloudOptions{})
	remove := e.cloud.InjectFault(s3server.Fault{Method: http.MethodGet, Bucket: e.cloud.Bucket(), Key: "flaky.jpg",
		Status: http.StatusServiceUnavailable, Code: "SlowDown"})
	defer remove()
	e.put("flaky.jpg", readFile(t, samplePath("my photos/red flower+bee.jpg")), "image/jpeg")
	e.wait()

	retries := e.cloud.Stack().Function.Async.MaximumRetryAttempts
	invs := e.cloud.Invocations("flaky.jpg")
	if len(invs) != retries+1 {
		t.Fatalf("%d invocations, want 1 + the template's %d retries", len(invs), retries)
	}
	for i, inv := range invs {
		if !inv.Result.Failed() || inv.Attempt != i+1 || inv.Result.RequestID != invs[0].Result.RequestID {
			t.Errorf("attempt %d: %+v", i+1, inv)
		}
	}
	if _, ok := e.get(e.prefix + "flaky.jpg"); ok {
		t.Error("a thumbnail was written although every download failed")
	}
	records, err := e.cloud.Failures().Records()
	if err != nil || len(records) != 1 {
		t.Fatalf("failure records %+v, %v; want 1", records, err)
	}
	rec := records[0]
	if rec.RequestContext.Condition != invoker.ConditionRetriesExhausted || rec.RequestContext.ApproximateInvokeCount != retries+1 ||
		rec.RequestContext.RequestID != invs[0].Result.RequestID {
		t.Errorf("record context %+v", rec.RequestContext)
	}
	var event struct {
		DetailType string `json:"detail-type"`
		Detail     struct {
			Object struct{ Key string } `json:"object"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(rec.RequestPayload, &event); err != nil || event.DetailType != "Object Created" || event.Detail.Object.Key != "flaky.jpg" {
		t.Errorf("record payload %s: %v", rec.RequestPayload, err)
	}
	if !strings.Contains(string(rec.ResponsePayload), "SlowDown") {
		t.Errorf("record response %s does not say why", rec.ResponsePayload)
	}
}
