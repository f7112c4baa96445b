package handler

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// batchFixture is the AWS documentation's example request of each schema.
var batchFixture = map[string]string{
	contract.BatchSchemaV1: "s3-batch-invocation-v1.json",
	contract.BatchSchemaV2: "s3-batch-invocation-v2.json",
}

// batchEvent returns the documented example request of schema with its tasks
// replaced by one task per key, in testBucket, task ids "t0", "t1", ...
func batchEvent(t testing.TB, schema string, keys ...string) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(readFixture(t, batchFixture[schema]), &e); err != nil {
		t.Fatal(err)
	}
	tasks := make([]any, 0, len(keys))
	for i, k := range keys {
		task := map[string]any{"taskId": "t" + string(rune('0'+i)), "s3Key": k, "s3VersionId": nil}
		if schema == contract.BatchSchemaV1 {
			task["s3BucketArn"] = "arn:aws:s3:::" + testBucket
		} else {
			task["s3Bucket"] = testBucket
		}
		tasks = append(tasks, task)
	}
	e["tasks"] = tasks
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// handleBatch runs one Batch Operations event through h's Lambda entry point
// and returns its answer, decoded from JSON as Batch Operations reads it.
func handleBatch(t *testing.T, h *Handler, ctx context.Context, event []byte) events.S3BatchJobResponse {
	t.Helper()
	out, err := h.Invoke(ctx, json.RawMessage(event))
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.S3BatchJobResponse
	if err := json.Unmarshal(b, &resp); err != nil {
		t.Fatalf("answer %s: %v", b, err)
	}
	return resp
}

// TestBatchResultCodes runs one task per case through both schemas and checks
// its result code and string, and what was written.
func TestBatchResultCodes(t *testing.T) {
	corrupt := &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "png: invalid format"}
	unsupported := &thumbnail.Error{Kind: thumbnail.ErrUnsupported, Reason: "not an image"}
	tooLarge := &thumbnail.Error{Kind: thumbnail.ErrTooLarge, Reason: "100000x100000 is over the pixel limit"}
	tests := []struct {
		name string
		// setup prepares the fake; key is the task's key as Batch Operations sends it.
		setup      func(f *fakeS3, m *fakeMaker)
		key        string
		wantCode   string
		wantString string // a substring of the result string
		wantThumb  string // a thumbnail key that must exist afterwards, or ""
		wantPuts   int    // PutObject calls, failed ones included
	}{
		{"written", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "photos/a.png", []byte("a")) },
			"photos/a.png", contract.BatchSucceeded, "thumbnail written", "resized/photos/a.png", 1},
		{"key form-URL-encoded", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "red flower+.jpg", []byte("a")) },
			"red+flower%2B.jpg", contract.BatchSucceeded, "thumbnail written", "resized/red flower+.jpg", 1},
		{"raw key with a plus, no object under its decoded reading", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "a+b.jpg", []byte("a")) },
			"a+b.jpg", contract.BatchSucceeded, "thumbnail written", "resized/a+b.jpg", 1},
		{"up to date", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "photos/a.png", []byte("a")) },
			"photos/a.png", contract.BatchSucceeded, "up to date", "resized/photos/a.png", 0},
		{"corrupt", func(f *fakeS3, m *fakeMaker) {
			f.add(testBucket, "bad.png", []byte("bad"))
			m.failFor = map[string]error{"bad": corrupt}
		}, "bad.png", contract.BatchPermanentFailure, RejectCorrupt, "", 0},
		{"unsupported", func(f *fakeS3, m *fakeMaker) {
			f.add(testBucket, "notes.txt", []byte("text"))
			m.failFor = map[string]error{"text": unsupported}
		}, "notes.txt", contract.BatchPermanentFailure, RejectUnsupported, "", 0},
		{"too many pixels", func(f *fakeS3, m *fakeMaker) {
			f.add(testBucket, "huge.png", []byte("huge"))
			m.failFor = map[string]error{"huge": tooLarge}
		}, "huge.png", contract.BatchPermanentFailure, RejectTooLarge, "", 0},
		{"over the byte limit", func(f *fakeS3, _ *fakeMaker) {
			f.add(testBucket, "big.png", make([]byte, testMaxBytes+1))
		}, "big.png", contract.BatchPermanentFailure, RejectTooLarge, "", 0},
		{"empty", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "empty.png", nil) },
			"empty.png", contract.BatchPermanentFailure, "empty", "", 0},
		{"original missing", func(*fakeS3, *fakeMaker) {}, "gone.png", contract.BatchPermanentFailure, "original missing", "", 0},
		{"throttled read", func(f *fakeS3, _ *fakeMaker) {
			f.add(testBucket, "busy.png", []byte("busy"))
			f.failOn("GetObject", testBucket, "busy.png", errSlowDown())
		}, "busy.png", contract.BatchTemporaryFailure, "SlowDown", "", 0},
		{"5xx on write", func(f *fakeS3, _ *fakeMaker) {
			f.add(testBucket, "a.png", []byte("a"))
			f.failOn("PutObject", testBucket, "resized/a.png", errUnavailable())
		}, "a.png", contract.BatchTemporaryFailure, "ServiceUnavailable", "", 1}, // one attempt, refused
		{"panic in the image core", func(f *fakeS3, m *fakeMaker) {
			f.add(testBucket, "a.png", []byte("a"))
			m.panics = true
		}, "a.png", contract.BatchTemporaryFailure, TransientPanic, "", 0},
		{"a thumbnail", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "resized/a.png", []byte("t")) },
			"resized/a.png", contract.BatchSucceeded, "skipped: " + SkipOutputPrefix, "", 0},
		{"a job's report", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, contract.JobsPrefix+"r/results/x.csv", []byte("csv")) },
			contract.JobsPrefix + "r/results/x.csv", contract.BatchSucceeded, "skipped: " + contract.SkipJobsPrefix, "", 0},
		{"a folder", func(*fakeS3, *fakeMaker) {}, "photos/", contract.BatchSucceeded, "skipped: " + SkipFolder, "", 0},
		{"no key", func(*fakeS3, *fakeMaker) {}, "", contract.BatchPermanentFailure, RejectIncompleteRecord, "", 0},
	}
	for _, schema := range []string{contract.BatchSchemaV1, contract.BatchSchemaV2} {
		for _, tc := range tests {
			t.Run(schema+"/"+tc.name, func(t *testing.T) {
				fake, maker := newFakeS3(), &fakeMaker{}
				tc.setup(fake, maker)
				h, _ := newTestHandler(t, fake, maker)
				if tc.wantString == "up to date" {
					handleBatch(t, h, context.Background(), batchEvent(t, schema, tc.key)) // makes the thumbnail
				}
				putsBefore := fake.count("PutObject")
				resp := handleBatch(t, h, context.Background(), batchEvent(t, schema, tc.key))

				if resp.InvocationSchemaVersion != schema || resp.TreatMissingKeysAs != contract.BatchPermanentFailure ||
					resp.InvocationID != "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo" {
					t.Errorf("answer header = %+v", resp)
				}
				if len(resp.Results) != 1 {
					t.Fatalf("results = %+v, want one", resp.Results)
				}
				got := resp.Results[0]
				if got.TaskID != "t0" || got.ResultCode != tc.wantCode || !strings.Contains(got.ResultString, tc.wantString) {
					t.Errorf("result = %+v, want task t0, %s, a string with %q", got, tc.wantCode, tc.wantString)
				}
				if tc.wantThumb != "" && fake.get(testBucket, tc.wantThumb) == nil {
					t.Errorf("no thumbnail at %q", tc.wantThumb)
				}
				if puts := fake.count("PutObject") - putsBefore; puts != tc.wantPuts {
					t.Errorf("PutObject calls = %d, want %d", puts, tc.wantPuts)
				}
				assertOnlyOutputsWritten(t, fake)
			})
		}
	}
}

// TestBatchDocumentedExamples decodes AWS's example request of each schema
// (bucket by ARN in 1.0, by name in 2.0) and checks the answer's JSON field
// names against the documented example response.
func TestBatchDocumentedExamples(t *testing.T) {
	for schema, fixture := range batchFixture {
		t.Run(schema, func(t *testing.T) {
			fake := newFakeS3()
			fake.add("amzn-s3-demo-bucket", "customerImage1.jpg", []byte("a"))
			h, _ := newTestHandler(t, fake, &fakeMaker{})
			out, err := h.Invoke(context.Background(), readFixture(t, fixture))
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			var answer map[string]any
			if err := json.Unmarshal(b, &answer); err != nil {
				t.Fatal(err)
			}
			for _, field := range []string{"invocationSchemaVersion", "treatMissingKeysAs", "invocationId", "results"} {
				if _, ok := answer[field]; !ok {
					t.Errorf("answer %s has no %q", b, field)
				}
			}
			results := answer["results"].([]any)
			r := results[0].(map[string]any)
			if r["taskId"] != "dGFza2lkZ29lc2hlcmUK" || r["resultCode"] != contract.BatchSucceeded || r["resultString"] == "" {
				t.Errorf("result %v", r)
			}
			if fake.get("amzn-s3-demo-bucket", "resized/customerImage1.jpg") == nil {
				t.Error("no thumbnail in the bucket the task names")
			}
		})
	}
}

// TestBatchSeveralTasks answers every task of one invocation, in order, each on its own.
func TestBatchSeveralTasks(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "a.png", []byte("a"))
	fake.add(testBucket, "b.png", []byte("broken"))
	fake.add(testBucket, "c.png", []byte("c"))
	maker := &fakeMaker{failFor: map[string]error{"broken": &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "bad"}}}
	h, logs := newTestHandler(t, fake, maker)
	resp := handleBatch(t, h, context.Background(), batchEvent(t, contract.BatchSchemaV2, "a.png", "b.png", "c.png"))
	want := []string{contract.BatchSucceeded, contract.BatchPermanentFailure, contract.BatchSucceeded}
	if len(resp.Results) != len(want) {
		t.Fatalf("results = %+v", resp.Results)
	}
	for i, r := range resp.Results {
		if r.TaskID != "t"+string(rune('0'+i)) || r.ResultCode != want[i] {
			t.Errorf("result %d = %+v, want %s", i, r, want[i])
		}
	}
	if errs := logs.withLevel(t, "ERROR"); len(errs) != 1 || errs[0][FieldKey] != "b.png" || errs[0]["job_id"] == nil {
		t.Errorf("ERROR lines = %v, want one for b.png with the job id", errs)
	}
}

// TestBatchRefusesUnknownSchema answers every task PermanentFailure, touching nothing.
func TestBatchRefusesUnknownSchema(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "a.png", []byte("a"))
	h, _ := newTestHandler(t, fake, &fakeMaker{})
	event := strings.Replace(string(batchEvent(t, contract.BatchSchemaV2, "a.png", "b.png")), `"2.0"`, `"3.0"`, 1)
	resp := handleBatch(t, h, context.Background(), []byte(event))
	if resp.InvocationSchemaVersion != "3.0" || len(resp.Results) != 2 {
		t.Fatalf("answer = %+v", resp)
	}
	for _, r := range resp.Results {
		if r.ResultCode != contract.BatchPermanentFailure || !strings.Contains(r.ResultString, `"3.0"`) {
			t.Errorf("result = %+v", r)
		}
	}
	if n := len(fake.calls); n != 0 {
		t.Errorf("S3 calls = %v, want none", fake.calls)
	}
}

// TestBatchOutOfTime answers TemporaryFailure, without reading, when the
// invocation has too little time left to start a task.
func TestBatchOutOfTime(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "a.png", []byte("a"))
	h, _ := newTestHandler(t, fake, &fakeMaker{})
	ctx, cancel := context.WithTimeout(context.Background(), batchDeadlineMargin/2)
	defer cancel()
	resp := handleBatch(t, h, ctx, batchEvent(t, contract.BatchSchemaV1, "a.png"))
	if r := resp.Results[0]; r.ResultCode != contract.BatchTemporaryFailure {
		t.Errorf("result = %+v, want %s", r, contract.BatchTemporaryFailure)
	}
	if len(fake.calls) != 0 {
		t.Errorf("S3 calls = %v, want none", fake.calls)
	}
}

// TestInvokeDispatches sends S3 events to Handle (answer null) and Batch
// Operations events to HandleBatch; a key under contract.JobsPrefix is skipped by the
// event path too, at INFO, so a job's manifest or report makes no error log.
func TestInvokeDispatches(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "a.png", []byte("a"))
	fake.add(testBucket, contract.JobsPrefix+"job-1/manifest.json", []byte("{}"))
	h, logs := newTestHandler(t, fake, &fakeMaker{err: &thumbnail.Error{Kind: thumbnail.ErrUnsupported, Reason: "not an image"}})
	for _, fixture := range []string{"s3-objectcreated-put.json", "eventbridge-object-created.json"} {
		out, err := h.Invoke(context.Background(), makeEvent(t, fixture, contract.JobsPrefix+"job-1/manifest.json", 2))
		if out != nil || err != nil {
			t.Errorf("%s: Invoke = %v, %v; want nil, nil", fixture, out, err)
		}
	}
	if skips := logs.skips(t); len(skips) != 2 || skips[0] != contract.SkipJobsPrefix || skips[1] != contract.SkipJobsPrefix {
		t.Errorf("skips = %v, want two %q", skips, contract.SkipJobsPrefix)
	}
	if errs := logs.withLevel(t, "ERROR"); len(errs) != 0 {
		t.Errorf("ERROR lines = %v, want none", errs)
	}
	if n := fake.count("GetObject"); n != 0 {
		t.Errorf("GetObject calls = %d, want none for a job's file", n)
	}
	if !IsBatchEvent(batchEvent(t, contract.BatchSchemaV2, "a.png")) || IsBatchEvent(readFixture(t, "s3-objectcreated-put.json")) {
		t.Error("IsBatchEvent tells the shapes apart wrongly")
	}
}

// TestBucketOfARN reads the bucket of a 1.0 task's s3BucketArn.
func TestBucketOfARN(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:s3:::amzn-s3-demo-bucket":   "amzn-s3-demo-bucket",
		"arn:aws-cn:s3:::b":                  "b",
		"arn:aws:s3:us-east-1:0123456788:b2": "b2",
		"arn:aws:s3:::b/key":                 "",
		"amzn-s3-demo-bucket":                "",
		"arn:aws:sqs:::q":                    "",
	} {
		if got := bucketOfARN(arn); got != want {
			t.Errorf("bucketOfARN(%q) = %q, want %q", arn, got, want)
		}
	}
}
