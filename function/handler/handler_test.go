package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// TestHandleProcessesEveryRecord sends one notification with a success, a
// permanent failure, a transient failure and a deletion: all four are handled,
// and only the transient one is returned for a retry.
func TestHandleProcessesEveryRecord(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/ok.png", []byte("fine"))
	fake.add(testBucket, "photos/broken.png", []byte("broken"))
	fake.add(testBucket, "photos/busy.png", []byte("busy"))
	fake.add(testBucket, "resized/photos/old.png", []byte("thumbnail of old"))
	fake.failOn("GetObject", testBucket, "photos/busy.png", errSlowDown())
	maker := &fakeMaker{failFor: map[string]error{
		"broken": &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "png: invalid format: not a PNG file"},
	}}
	h, logs := newTestHandler(t, fake, maker)

	event := joinRecords(t,
		makeEvent(t, s3Put, "photos/ok.png", 4),
		makeEvent(t, s3Put, "photos/broken.png", 6),
		makeEvent(t, s3Put, "photos/busy.png", 4),
		makeEvent(t, s3Delete, "photos/old.png", noSize),
	)
	err := handle(t, h, event)

	if err == nil {
		t.Fatal("Handle = nil, want the throttled record's error")
	}
	if msg := err.Error(); !strings.Contains(msg, "photos/busy.png") || strings.Contains(msg, "photos/broken.png") || strings.Contains(msg, "photos/ok.png") {
		t.Errorf("error %q: want only the transient record named", msg)
	}
	if fake.get(testBucket, "resized/photos/ok.png") == nil {
		t.Error("the good record got no thumbnail")
	}
	if fake.get(testBucket, "resized/photos/old.png") != nil {
		t.Error("the deleted original's thumbnail is still there")
	}
	if got := fake.count("GetObject"); got != 3 {
		t.Errorf("GetObject calls = %d, want 3", got)
	}
	if errs := logs.withLevel(t, "ERROR"); len(errs) != 2 {
		t.Errorf("ERROR lines = %v, want two (permanent and transient)", errs)
	}
	assertOnlyOutputsWritten(t, fake)
}

// TestHandleDropsUnknownEvents checks that an input that is not an S3 event is
// logged at ERROR, quoted, and dropped without an error and without touching S3.
func TestHandleDropsUnknownEvents(t *testing.T) {
	tests := []struct {
		name, payload string
	}{
		{"not JSON", `{"Records": [`},
		{"array", `[]`},
		{"empty object", `{}`},
		{"SQS batch", string(readFixture(t, "sqs-receive-message.json"))},
		{"EventBridge from another source", `{"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification", "detail": {}}`},
		{"huge unknown object", `{"x": "` + strings.Repeat("a", 10000) + `"}`},
		{"EventBridge record without key", string(makeEvent(t, ebCreated, "", 10))},
		{"notification record without key", string(makeEvent(t, s3Put, "", 10))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			h, logs := newTestHandler(t, fake, &fakeMaker{})
			if err := h.Handle(context.Background(), json.RawMessage(tt.payload)); err != nil {
				t.Fatalf("Handle = %v, want nil: a retry cannot help", err)
			}
			errs := logs.withLevel(t, "ERROR")
			if len(errs) != 1 {
				t.Fatalf("ERROR lines = %v, want one", errs)
			}
			input, _ := errs[0]["input"].(string)
			if !strings.HasPrefix(tt.payload, strings.TrimSuffix(input, "...")) || len(input) > maxQuoted+3 {
				t.Errorf("logged input %q is not the start of the payload, at most %d bytes", input, maxQuoted)
			}
			if len(fake.calls) != 0 {
				t.Errorf("S3 calls for an unknown event: %q", fake.calls)
			}
		})
	}
}

// TestHandleIgnoresOtherS3Events checks that S3 events with no work are skipped quietly.
func TestHandleIgnoresOtherS3Events(t *testing.T) {
	restore := strings.Replace(string(readFixture(t, s3Put)), "ObjectCreated:Put", "ObjectRestore:Completed", 1)
	tests := []struct {
		name    string
		payload []byte
	}{
		{"EventBridge restore completed", readFixture(t, "eventbridge-object-restore-completed.json")},
		{"notification restore completed", []byte(restore)},
		{"test event", readFixture(t, "s3-testevent.json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			h, logs := newTestHandler(t, fake, &fakeMaker{})
			if err := handle(t, h, tt.payload); err != nil {
				t.Fatal(err)
			}
			if got := logs.skips(t); !slices.Equal(got, []string{SkipEventType}) {
				t.Errorf("skips = %q, want [%s]", got, SkipEventType)
			}
			if len(fake.calls) != 0 {
				t.Errorf("S3 calls: %q", fake.calls)
			}
		})
	}
}

// TestProcessRefusesIncompleteRecords checks the handler's own guard behind
// Decode's: a record naming no object fails permanently without touching S3.
func TestProcessRefusesIncompleteRecords(t *testing.T) {
	tests := []struct {
		name   string
		record Record
	}{
		{"no key", Record{Action: ActionCreated, Event: contract.DetailTypeObjectCreated, Bucket: testBucket}},
		{"no bucket", Record{Action: ActionDeleted, Event: contract.DetailTypeObjectDeleted, Key: "photos/a.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			h, logs := newTestHandler(t, fake, &fakeMaker{})
			if err := h.process(context.Background(), h.log, tt.record); err != nil {
				t.Fatalf("process = %v, want nil: a retry cannot help", err)
			}
			errs := logs.withLevel(t, "ERROR")
			if len(errs) != 1 || !strings.Contains(fmt.Sprint(errs[0][FieldReason]), "without bucket or key") {
				t.Errorf("ERROR lines = %v, want one saying the record names no object", errs)
			}
			if len(fake.calls) != 0 {
				t.Errorf("S3 calls: %q", fake.calls)
			}
		})
	}
}

// TestHandleRecoversPanics checks that a panic in the image core or the S3
// client becomes an error for a retry, logged with its stack, and that the
// other records of the event are still handled.
func TestHandleRecoversPanics(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*fakeS3, *fakeMaker)
	}{
		{"image core", func(_ *fakeS3, m *fakeMaker) { m.panics = true }},
		{"S3 read", func(f *fakeS3, _ *fakeMaker) { f.panicOn("GetObject", testBucket, "photos/a.png") }},
		{"S3 delete", func(f *fakeS3, _ *fakeMaker) { f.panicOn("DeleteObject", testBucket, "resized/photos/gone.png") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			fake.add(testBucket, "photos/a.png", []byte("a"))
			fake.add(testBucket, "resized/photos/gone.png", []byte("thumbnail of gone"))
			fake.add(testBucket, "resized/photos/other.png", []byte("thumbnail of other"))
			maker := &fakeMaker{}
			tt.inject(fake, maker)
			h, logs := newTestHandler(t, fake, maker)
			event := joinRecords(t,
				makeEvent(t, s3Put, "photos/a.png", 1),
				makeEvent(t, s3Delete, "photos/gone.png", noSize),
				makeEvent(t, s3Delete, "photos/other.png", noSize),
			)

			err := handle(t, h, event)

			if err == nil || !strings.Contains(err.Error(), "panic") {
				t.Fatalf("Handle = %v, want an error reporting the panic", err)
			}
			if fake.get(testBucket, "resized/photos/other.png") != nil {
				t.Error("the record after the panic was not handled")
			}
			var stacks int
			for _, e := range logs.withLevel(t, "ERROR") {
				if s, _ := e["stack"].(string); strings.Contains(s, "goroutine") {
					stacks++
				}
			}
			if stacks != 1 {
				t.Errorf("%d ERROR lines with a stack, want 1: %v", stacks, logs.entries(t))
			}
		})
	}
}

// TestZeroHandlerReturnsError checks that a Handler built without New fails
// every event with an error rather than skipping it or crashing the runtime.
func TestZeroHandlerReturnsError(t *testing.T) {
	var h Handler
	err := h.Handle(context.Background(), makeEvent(t, s3Put, "photos/a.png", 1))
	if err == nil || !strings.Contains(err.Error(), "not built with New") {
		t.Fatalf("Handle = %v, want an error saying the Handler was not built with New", err)
	}
}

// panickyWriter panics on its first write, as a broken log sink might, then works.
type panickyWriter struct {
	panicked bool
	lines    logLines
}

func (w *panickyWriter) Write(p []byte) (int, error) {
	if !w.panicked {
		w.panicked = true
		panic("log sink broke")
	}
	return w.lines.Write(p)
}

// TestHandleRecoversPanicOutsideRecords checks the outermost recover: a panic
// while no record is being handled also becomes an error, logged with its stack.
func TestHandleRecoversPanicOutsideRecords(t *testing.T) {
	w := &panickyWriter{}
	log, err := NewLogger(w, "info")
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(testConfig(), newFakeS3(), log)
	if err != nil {
		t.Fatal(err)
	}
	err = handle(t, h, []byte(`{"not": "an S3 event"}`))
	if err == nil || !strings.Contains(err.Error(), "log sink broke") {
		t.Fatalf("Handle = %v, want an error reporting the panic", err)
	}
	errs := w.lines.withLevel(t, "ERROR")
	if len(errs) != 1 || errs[0]["msg"] != "panic while handling event" {
		t.Errorf("ERROR lines = %v, want the panic reported", errs)
	}
}

// TestHandleLogsRequestID checks that every line of an invocation carries its Lambda request id.
func TestHandleLogsRequestID(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/a.png", []byte("a"))
	h, logs := newTestHandler(t, fake, &fakeMaker{})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e812345678"})
	if err := h.Handle(ctx, makeEvent(t, s3Put, "photos/a.png", 1)); err != nil {
		t.Fatal(err)
	}
	entries := logs.entries(t)
	if len(entries) == 0 {
		t.Fatal("nothing logged")
	}
	for _, e := range entries {
		if e[FieldRequestID] != "c6af9ac6-7b61-11e6-9a41-93e812345678" {
			t.Errorf("line without the request id: %v", e)
		}
	}
}

func TestNewRejects(t *testing.T) {
	bad := contract.Default()
	bad.OutputPrefix = ""
	tests := []struct {
		name    string
		cfg     contract.Config
		client  S3API
		wantErr string
	}{
		{"empty output prefix", bad, newFakeS3(), "output prefix is empty"},
		{"no client", contract.Default(), nil, "needs an S3 client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, tt.client, discardLogger())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
