package handler

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// FuzzInvokeBatch checks that no Batch Operations input makes the entry point panic
// or fail, that it answers with the invocation's schema and id, and that every result
// answers a task of the input, once, with one of the three result codes.
//
//	go test ./function/handler/ -run '^$' -fuzz '^FuzzInvokeBatch$' -fuzztime 60s
func FuzzInvokeBatch(f *testing.F) {
	for _, schema := range []string{contract.BatchSchemaV1, contract.BatchSchemaV2} {
		f.Add(readFixture(f, batchFixture[schema]))
		f.Add(batchEvent(f, schema, "a.png", "red+flower.jpg", "100%.png", "%zz", "resized/a.png", "", contract.JobsPrefix+"x.csv"))
	}
	for _, payload := range []string{
		`{"invocationSchemaVersion": "2.0", "tasks": null}`,
		`{"invocationSchemaVersion": "1.0", "tasks": [{"taskId": "t", "s3BucketArn": "arn:aws:s3:::b/k", "s3Key": "k"}]}`,
		`{"invocationSchemaVersion": "9", "tasks": [{"taskId": "t"}, {}]}`,
		`{"invocationSchemaVersion": "2.0", "tasks": [{"taskId": 7}]}`,
	} {
		f.Add([]byte(payload))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		if !IsBatchEvent(payload) {
			return
		}
		fake := newFakeS3()
		fake.add(testBucket, "a.png", []byte("a"))
		h, _ := newTestHandler(t, fake, &fakeMaker{})
		out, err := h.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("Invoke(%q) = %v", payload, err)
		}
		resp, ok := out.(*events.S3BatchJobResponse)
		if !ok || resp == nil {
			t.Fatalf("Invoke(%q) answered %T", payload, out)
		}
		var in struct {
			InvocationSchemaVersion string `json:"invocationSchemaVersion"`
			InvocationID            string `json:"invocationId"`
			Tasks                   []struct {
				TaskID string `json:"taskId"`
			} `json:"tasks"`
		}
		_ = json.Unmarshal(payload, &in) // a payload Invoke read as a batch may still not fit this shape
		if resp.InvocationSchemaVersion != in.InvocationSchemaVersion || resp.InvocationID != in.InvocationID {
			t.Errorf("answer header %q %q, want the invocation's %q %q", resp.InvocationSchemaVersion, resp.InvocationID, in.InvocationSchemaVersion, in.InvocationID)
		}
		ids := map[string]int{}
		for _, task := range in.Tasks {
			ids[task.TaskID]++
		}
		for _, r := range resp.Results {
			if ids[r.TaskID] == 0 {
				t.Errorf("result %+v answers no task of the input (or a task already answered)", r)
			}
			ids[r.TaskID]--
			switch r.ResultCode {
			case contract.BatchSucceeded, contract.BatchTemporaryFailure, contract.BatchPermanentFailure:
			default:
				t.Errorf("result code %q", r.ResultCode)
			}
			if len(r.ResultString) > maxResultString {
				t.Errorf("result string of %d bytes", len(r.ResultString))
			}
		}
		assertOnlyOutputsWritten(t, fake)
	})
}
