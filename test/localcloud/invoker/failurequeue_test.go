package invoker

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden failure record")

func TestFailureQueueWritesLambdaRecords(t *testing.T) {
	q := &FailureQueue{Dir: filepath.Join(t.TempDir(), "FailureQueue")}
	rec := FailureRecord{
		Version:   "1.0",
		Timestamp: timestamp(time.Date(2026, 11, 25, 20, 0, 1, 234e6, time.UTC)),
		RequestContext: RequestContext{
			RequestID:              "e4b46cbf-b738-4a8e-8880-a18cdf61200e",
			FunctionARN:            "arn:aws:lambda:us-east-1:000000000000:function:Thumbnailer:$LATEST",
			Condition:              ConditionRetriesExhausted,
			ApproximateInvokeCount: 3,
		},
		RequestPayload:  json.RawMessage(`{"detail-type":"Object Created","detail":{"object":{"key":"a.jpg"}}}`),
		ResponseContext: &ResponseContext{StatusCode: 200, ExecutedVersion: "$LATEST", FunctionError: "Unhandled"},
		ResponsePayload: json.RawMessage(`{"errorMessage":"SlowDown","errorType":"OperationError"}`),
	}
	path, err := q.Write(rec)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(q.Dir, "20261125T200001.234Z-e4b46cbf-b738-4a8e-8880-a18cdf61200e.json"); path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "record.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("record differs from %s:\n%s", golden, got)
	}
	records, err := q.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1 || !reflect.DeepEqual(records[0].RequestContext, rec.RequestContext) {
		t.Errorf("Records() = %+v", records)
	}
}

func TestFailureQueueReportsUnwritableFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	q := &FailureQueue{Dir: filepath.Join(file, "queue")}
	if _, err := q.Write(FailureRecord{RequestPayload: json.RawMessage(`{}`)}); err == nil {
		t.Error("Write into a path under a file succeeded")
	}
}
