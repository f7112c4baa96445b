package s3control

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

const (
	testAccount  = "000000000000"
	testBucket   = "images"
	testFunction = "arn:aws:lambda:us-east-1:000000000000:function:Thumbs"
	testRole     = "arn:aws:iam::000000000000:role/Batch"
)

// answerFunc answers one task for the fake function: a result code and string, or
// "" to leave the task out of the answer.
type answerFunc func(key string, attempt int) (code, message string)

// fakeFunction stands in for the thumbnail function: it checks each event against
// aws-lambda-go's types for its schema and answers each task with answer.
type fakeFunction struct {
	t      *testing.T
	answer answerFunc
	// raw, when set, is returned as the whole response instead.
	raw []byte
	// functionError, when set, makes every invocation fail with it.
	functionError string

	mu       sync.Mutex
	attempts map[string]int
	events   int
	schemas  map[string]int
	keys     []string // as sent, encoded
}

func (f *fakeFunction) Invoke(_ context.Context, payload []byte) ([]byte, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events++
	var head struct {
		InvocationSchemaVersion string `json:"invocationSchemaVersion"`
		InvocationID            string `json:"invocationId"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		f.t.Errorf("event %s: %v", payload, err)
	}
	f.schemas[head.InvocationSchemaVersion]++
	type task struct{ id, key, bucket string }
	var tasks []task
	switch head.InvocationSchemaVersion {
	case SchemaV1:
		var e events.S3BatchJobEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			f.t.Fatal(err)
		}
		for _, t := range e.Tasks {
			tasks = append(tasks, task{t.TaskID, t.S3Key, strings.TrimPrefix(t.S3BucketARN, "arn:aws:s3:::")})
		}
	case SchemaV2:
		var e events.S3BatchJobEventV2
		if err := json.Unmarshal(payload, &e); err != nil {
			f.t.Fatal(err)
		}
		for _, t := range e.Tasks {
			tasks = append(tasks, task{t.TaskID, t.S3Key, t.S3Bucket})
		}
	default:
		f.t.Errorf("event of schema %q", head.InvocationSchemaVersion)
	}
	if f.functionError != "" {
		return nil, f.functionError, nil
	}
	if f.raw != nil {
		return f.raw, "", nil
	}
	resp := events.S3BatchJobResponse{InvocationSchemaVersion: head.InvocationSchemaVersion, TreatMissingKeysAs: "PermanentFailure", InvocationID: head.InvocationID}
	for _, t := range tasks {
		if t.bucket != testBucket {
			f.t.Errorf("task of bucket %q", t.bucket)
		}
		f.keys = append(f.keys, t.key)
		key, err := url.QueryUnescape(t.key)
		if err != nil {
			f.t.Errorf("key %q: %v", t.key, err)
		}
		f.attempts[key]++
		code, message := f.answer(key, f.attempts[key])
		if code != "" {
			resp.Results = append(resp.Results, events.S3BatchJobResult{TaskID: t.id, ResultCode: code, ResultString: message})
		}
	}
	b, err := json.Marshal(resp)
	return b, "", err
}

// testCloud is an API beside gofakes3, behind one loopback server, with SDK clients.
type testCloud struct {
	api     *API
	fn      *fakeFunction
	s3      *s3.Client
	control *s3control.Client
	logs    *bytes.Buffer
}

func newTestCloud(t *testing.T, fn *fakeFunction, tasksPerInvocation int) *testCloud {
	t.Helper()
	fn.t, fn.attempts, fn.schemas = t, map[string]int{}, map[string]int{}
	fake := gofakes3.New(s3mem.New())
	var logs bytes.Buffer
	var logMu sync.Mutex
	var store lazy
	api, err := New(Config{
		Account: testAccount, Partition: "aws", Region: "us-east-1",
		FunctionARN: testFunction, FunctionName: "Thumbs",
		Store: &store, Invoker: fn, Concurrency: 3, TasksPerInvocation: tasksPerInvocation,
		RetryDelay: time.Millisecond,
		Log:        func(line string) { logMu.Lock(); logs.WriteString(line + "\n"); logMu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Beside(fake.Server()))
	t.Cleanup(func() {
		if err := api.Close(); err != nil {
			t.Error(err)
		}
		srv.Close()
	})
	creds := credentials.NewStaticCredentialsProvider("local", "local", "")
	client := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Credentials: creds})
	store.Store = client
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(testBucket)}); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(srv.URL, "http://")
	control := s3control.New(s3control.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds,
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}}})
	return &testCloud{api: api, fn: fn, s3: client, control: control, logs: &logs}
}

// lazy is a Store set once the server's URL is known.
type lazy struct{ Store }

// manifest uploads a CSV manifest of keys (encoded) and returns its key and ETag.
func (c *testCloud) manifest(t *testing.T, lines ...string) (string, string) {
	t.Helper()
	body := strings.Join(lines, "\n") + "\n"
	key := "thumbnail-jobs/manifests/m.csv"
	out, err := c.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	return key, strings.Trim(aws.ToString(out.ETag), `"`)
}

// jobInput is a valid CreateJob request over the manifest at key.
func jobInput(key, etag, schema, scope string) *s3control.CreateJobInput {
	return &s3control.CreateJobInput{
		AccountId: aws.String(testAccount), ClientRequestToken: aws.String(key + schema + scope), ConfirmationRequired: aws.Bool(false),
		Priority: aws.Int32(10), RoleArn: aws.String(testRole),
		Operation: &types.JobOperation{LambdaInvoke: &types.LambdaInvokeOperation{FunctionArn: aws.String(testFunction), InvocationSchemaVersion: aws.String(schema)}},
		Manifest: &types.JobManifest{
			Spec:     &types.JobManifestSpec{Format: types.JobManifestFormatS3BatchOperationsCsv20180820, Fields: []types.JobManifestFieldName{"Bucket", "Key"}},
			Location: &types.JobManifestLocation{ObjectArn: aws.String("arn:aws:s3:::" + testBucket + "/" + key), ETag: aws.String(etag)},
		},
		Report: &types.JobReport{Enabled: true, Bucket: aws.String("arn:aws:s3:::" + testBucket), Format: types.JobReportFormatReportCsv20180820,
			Prefix: aws.String("thumbnail-jobs/reports"), ReportScope: types.JobReportScope(scope)},
	}
}

// runJob creates the job and waits for its end.
func (c *testCloud) runJob(t *testing.T, in *s3control.CreateJobInput) *types.JobDescriptor {
	t.Helper()
	out, err := c.control.CreateJob(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		d, err := c.control.DescribeJob(context.Background(), &s3control.DescribeJobInput{AccountId: aws.String(testAccount), JobId: out.JobId})
		if err != nil {
			t.Fatalf("DescribeJob: %v", err)
		}
		if d.Job.Status == types.JobStatusComplete || d.Job.Status == types.JobStatusFailed {
			return d.Job
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("job %s did not end\n%s", aws.ToString(out.JobId), c.logs)
	return nil
}

// report reads the completion report of job: its manifest and the rows by status.
func (c *testCloud) report(t *testing.T, job *types.JobDescriptor) (ReportManifest, map[string][][]string) {
	t.Helper()
	key := ReportFolder("thumbnail-jobs/reports", aws.ToString(job.JobId)) + "/manifest.json"
	var m ReportManifest
	if err := json.Unmarshal(c.get(t, key), &m); err != nil {
		t.Fatal(err)
	}
	rows := map[string][][]string{}
	for _, r := range m.Results {
		if r.Bucket != testBucket || !strings.HasPrefix(r.Key, "thumbnail-jobs/reports/job-"+aws.ToString(job.JobId)+"/results/") {
			t.Errorf("report file %+v outside the job's folder", r)
		}
		recs, err := csv.NewReader(bytes.NewReader(c.get(t, r.Key))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		rows[r.TaskExecutionStatus] = append(rows[r.TaskExecutionStatus], recs...)
	}
	return m, rows
}

func (c *testCloud) get(t *testing.T, key string) []byte {
	t.Helper()
	out, err := c.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestJobHonoursResultCodes runs one job per schema and batch size over tasks answered
// every way, and checks the progress, the redrives and the report.
func TestJobHonoursResultCodes(t *testing.T) {
	answer := func(key string, attempt int) (string, string) {
		switch {
		case strings.HasPrefix(key, "ok"):
			return codeSucceeded, "thumbnail written"
		case strings.HasPrefix(key, "flaky"): // succeeds on its second attempt
			if attempt == 1 {
				return codeTemporaryFailure, "SlowDown"
			}
			return codeSucceeded, "thumbnail written"
		case strings.HasPrefix(key, "busy"): // never succeeds
			return codeTemporaryFailure, "SlowDown"
		case strings.HasPrefix(key, "missing"):
			return "", ""
		case strings.HasPrefix(key, "odd"):
			return "Maybe", ""
		}
		return codePermanentFailure, "corrupt: bad bytes"
	}
	keys := map[string]string{ // key -> how the report must list it
		"ok a.png": "succeeded", "ok+b%.png": "succeeded", "flaky.png": "succeeded",
		"busy.png": "failed TemporaryFailure", "broken.png": "failed PermanentFailure",
		"missing.png": "failed PermanentFailure", "odd.png": "failed PermanentFailure",
	}
	for _, schema := range []string{SchemaV1, SchemaV2} {
		for _, perInvocation := range []int{1, 3} {
			t.Run(fmt.Sprintf("schema %s, %d tasks an invocation", schema, perInvocation), func(t *testing.T) {
				fn := &fakeFunction{answer: answer}
				c := newTestCloud(t, fn, perInvocation)
				var lines []string
				for k := range keys {
					lines = append(lines, testBucket+","+strings.ReplaceAll(url.PathEscape(k), "+", "%2B"))
				}
				key, etag := c.manifest(t, lines...)
				job := c.runJob(t, jobInput(key, etag, schema, ScopeAllTasks))

				p := job.ProgressSummary
				if job.Status != types.JobStatusComplete || aws.ToInt64(p.TotalNumberOfTasks) != 7 ||
					aws.ToInt64(p.NumberOfTasksSucceeded) != 3 || aws.ToInt64(p.NumberOfTasksFailed) != 4 {
					t.Errorf("job %s, progress %+v; want Complete, 7 tasks, 3 succeeded, 4 failed", job.Status, *p)
				}
				if fn.schemas[schema] == 0 || len(fn.schemas) != 1 {
					t.Errorf("events by schema %v, want %s only", fn.schemas, schema)
				}
				if got := fn.attempts["busy.png"]; got != DefaultMaxAttempts {
					t.Errorf("busy.png attempted %d times, want %d", got, DefaultMaxAttempts)
				}
				if got := fn.attempts["broken.png"]; got != 1 {
					t.Errorf("broken.png attempted %d times, want 1: a permanent failure is not redriven", got)
				}
				for _, k := range fn.keys {
					if strings.Contains(k, " ") {
						t.Errorf("key %q sent with a space, want it form-URL-encoded", k)
					}
				}
				m, rows := c.report(t, job)
				if m.Format != ReportFormatCSV || m.ReportSchema != ReportSchema || len(m.Results) != 2 {
					t.Errorf("report manifest %+v", m)
				}
				got := map[string]string{}
				for status, rs := range rows {
					for _, r := range rs {
						k, _ := url.PathUnescape(r[1])
						got[k] = strings.TrimSpace(status + " " + r[5])
						if r[0] != testBucket || r[3] != status || r[4] != "200" {
							t.Errorf("report row %q", r)
						}
					}
				}
				for k, want := range keys {
					if got[k] != want {
						t.Errorf("report lists %q as %q, want %q", k, got[k], want)
					}
				}
			})
		}
	}
}

// TestJobAnswersThatAreNoAnswer: a function error is redriven, then fails the task; a
// response that is not JSON fails it at once.
func TestJobAnswersThatAreNoAnswer(t *testing.T) {
	for name, fn := range map[string]*fakeFunction{
		"function error": {functionError: "Runtime.ExitError: exit status 2"},
		"invalid JSON":   {raw: []byte("not json")},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestCloud(t, fn, 1)
			key, etag := c.manifest(t, testBucket+",a.png")
			job := c.runJob(t, jobInput(key, etag, SchemaV2, ScopeFailedOnly))
			if aws.ToInt64(job.ProgressSummary.NumberOfTasksFailed) != 1 {
				t.Errorf("progress %+v, want one failed task", *job.ProgressSummary)
			}
			wantEvents := 1
			if fn.functionError != "" {
				wantEvents = DefaultMaxAttempts
			}
			if fn.events != wantEvents {
				t.Errorf("%d invocations, want %d", fn.events, wantEvents)
			}
			_, rows := c.report(t, job)
			if len(rows["failed"]) != 1 || len(rows["succeeded"]) != 0 {
				t.Errorf("report rows %v, want the failed task only", rows)
			}
		})
	}
}

// TestJobFailsOverTheFailureThreshold: more than half of at least 1,000 tasks failed.
func TestJobFailsOverTheFailureThreshold(t *testing.T) {
	fn := &fakeFunction{answer: func(string, int) (string, string) { return codePermanentFailure, "corrupt" }}
	c := newTestCloud(t, fn, 10)
	var lines []string
	for i := range 3000 {
		lines = append(lines, fmt.Sprintf("%s,k%04d.png", testBucket, i))
	}
	key, etag := c.manifest(t, lines...)
	job := c.runJob(t, jobInput(key, etag, SchemaV2, ScopeFailedOnly))
	failed := aws.ToInt64(job.ProgressSummary.NumberOfTasksFailed)
	if job.Status != types.JobStatusFailed || len(job.FailureReasons) != 1 || failed < failureThresholdTasks || failed >= 3000 {
		t.Errorf("job %s, %d failed, reasons %+v; want Failed after at least 1,000 tasks and before the last", job.Status, failed, job.FailureReasons)
	}
}

// TestJobFailsOnABadManifest: the job names an ETag that is not the manifest's.
func TestJobFailsOnABadManifest(t *testing.T) {
	fn := &fakeFunction{answer: func(string, int) (string, string) { return codeSucceeded, "" }}
	c := newTestCloud(t, fn, 1)
	key, _ := c.manifest(t, testBucket+",a.png")
	job := c.runJob(t, jobInput(key, "0123456789abcdef0123456789abcdef", SchemaV2, ScopeAllTasks))
	if job.Status != types.JobStatusFailed || len(job.FailureReasons) != 1 || !strings.Contains(aws.ToString(job.FailureReasons[0].FailureReason), "ETag") {
		t.Errorf("job %s, reasons %+v; want Failed naming the ETag", job.Status, job.FailureReasons)
	}
	if fn.events != 0 {
		t.Errorf("%d invocations, want none", fn.events)
	}
}

// TestCreateJobRefuses checks the requests the local cloud refuses, each with a 400
// naming the field.
func TestCreateJobRefuses(t *testing.T) {
	fn := &fakeFunction{answer: func(string, int) (string, string) { return codeSucceeded, "" }}
	c := newTestCloud(t, fn, 1)
	key, etag := c.manifest(t, testBucket+",a.png")
	tests := map[string]func(in *s3control.CreateJobInput){
		"FunctionArn": func(in *s3control.CreateJobInput) {
			in.Operation.LambdaInvoke.FunctionArn = aws.String("arn:aws:lambda:us-east-1:000000000000:function:Other")
		},
		"InvocationSchemaVersion": func(in *s3control.CreateJobInput) {
			in.Operation.LambdaInvoke.InvocationSchemaVersion = aws.String("3.0")
		},
		"Manifest.Spec.Format": func(in *s3control.CreateJobInput) {
			in.Manifest.Spec.Format = types.JobManifestFormatS3InventoryReportCsv20161130
		},
		"ObjectArn": func(in *s3control.CreateJobInput) {
			in.Manifest.Location.ObjectArn = aws.String("arn:aws:s3:::" + testBucket)
		},
		"ReportScope": func(in *s3control.CreateJobInput) { in.Report.ReportScope = "Some" },
		"Operation": func(in *s3control.CreateJobInput) {
			in.Operation = &types.JobOperation{S3PutObjectTagging: &types.S3SetObjectTaggingOperation{}}
		},
	}
	for field, change := range tests {
		t.Run(field, func(t *testing.T) {
			in := jobInput(key, etag, SchemaV2, ScopeAllTasks)
			change(in)
			_, err := c.control.CreateJob(context.Background(), in)
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "InvalidRequest" || !strings.Contains(api.ErrorMessage(), field) {
				t.Errorf("CreateJob = %v, want InvalidRequest naming %s", err, field)
			}
		})
	}
	t.Run("unknown job", func(t *testing.T) {
		_, err := c.control.DescribeJob(context.Background(), &s3control.DescribeJobInput{AccountId: aws.String(testAccount), JobId: aws.String("nope")})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "NoSuchJob" {
			t.Errorf("DescribeJob = %v, want NoSuchJob", err)
		}
	})
	t.Run("idempotent token", func(t *testing.T) {
		in := jobInput(key, etag, SchemaV2, ScopeAllTasks)
		first, err := c.control.CreateJob(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		second, err := c.control.CreateJob(context.Background(), in)
		if err != nil || aws.ToString(second.JobId) != aws.ToString(first.JobId) {
			t.Errorf("second CreateJob with the same token = %v, %v; want job %s again", second, err, aws.ToString(first.JobId))
		}
	})
}
