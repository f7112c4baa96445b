package s3control

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Result codes a task can be answered with.
const (
	codeSucceeded        = "Succeeded"
	codeTemporaryFailure = "TemporaryFailure"
	codePermanentFailure = "PermanentFailure"
)

// Failure threshold: a job fails once more than half its tasks failed, after at least
// this many were attempted, as Batch Operations does.
const failureThresholdTasks = 1000

// maxManifestBytes bounds the manifest read into memory.
const maxManifestBytes = 256 << 20

// task is one line of the manifest and how it ended.
type task struct {
	id        string
	bucket    string
	key       string // decoded
	encoded   string // as the manifest has it (URL-encoded)
	versionID string
	attempts  int
	// code and message are the last answer: a result code and its string.
	code, message string
}

// run carries a job from Preparing to Complete or Failed.
func (a *API) run(ctx context.Context, j *job) {
	started := time.Now()
	tasks, err := a.readManifest(ctx, j.spec)
	if err != nil {
		a.cfg.Log(fmt.Sprintf("[s3 batch] job %s failed: %v", j.id, err))
		j.fail("ManifestReadFailure", err.Error())
		return
	}
	j.mu.Lock()
	j.total = int64(len(tasks))
	j.mu.Unlock()
	j.setStatus(StatusActive, "Job is running")
	a.cfg.Log(fmt.Sprintf("[s3 batch] job %s active: %d tasks", j.id, len(tasks)))

	pending := tasks
	var done []*task
	tripped := false
	for attempt := 1; len(pending) > 0 && !tripped; attempt++ {
		if attempt > 1 {
			select {
			case <-ctx.Done():
			case <-time.After(a.cfg.RetryDelay):
			}
		}
		if ctx.Err() != nil {
			j.fail("JobStopped", "the local cloud stopped")
			return
		}
		var finished []*task
		finished, pending, tripped = a.attempt(ctx, j, pending, attempt == a.cfg.MaxAttempts)
		done = append(done, finished...)
	}
	if ctx.Err() != nil {
		j.fail("JobStopped", "the local cloud stopped")
		return
	}
	report, err := a.writeReport(ctx, j, done)
	if err != nil {
		a.cfg.Log(fmt.Sprintf("[s3 batch] job %s: completion report not written: %v", j.id, err))
	}
	_, succeeded, failed := j.progress()
	if tripped {
		j.fail("TaskFailureThresholdExceeded", fmt.Sprintf("more than half of the %d tasks attempted failed", succeeded+failed))
	} else if err != nil {
		j.fail("ReportWriteFailure", err.Error())
	} else {
		j.setStatus(StatusComplete, "Job complete")
	}
	a.cfg.Log(fmt.Sprintf("[s3 batch] job %s ended %s in %v: %d succeeded, %d failed; report %s",
		j.id, j.descriptor().Status, time.Since(started).Round(time.Millisecond), succeeded, failed, report))
}

// attempt invokes the function for every task of pending, Concurrency invocations at a
// time, TasksPerInvocation tasks each. It returns the tasks that ended and those to
// redrive (TemporaryFailure before the last attempt), and whether the failure threshold
// was crossed, which stops the job.
func (a *API) attempt(ctx context.Context, j *job, pending []*task, last bool) (done, retry []*task, tripped bool) {
	batches := make(chan []*task)
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var stopOnce sync.Once
	for range a.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				a.invoke(ctx, j, batch)
				var ok, failed int64
				mu.Lock()
				for _, t := range batch {
					t.attempts++
					switch {
					case t.code == codeSucceeded:
						ok++
						done = append(done, t)
					case t.code == codeTemporaryFailure && !last:
						retry = append(retry, t)
					default:
						failed++
						done = append(done, t)
					}
				}
				mu.Unlock()
				j.count(ok, failed)
				_, s, f := j.progress()
				if s+f >= failureThresholdTasks && 2*f > s+f {
					stopOnce.Do(func() { close(stop) })
				}
			}
		}()
	}
feed:
	for i := 0; i < len(pending); i += a.cfg.TasksPerInvocation {
		batch := pending[i:min(i+a.cfg.TasksPerInvocation, len(pending))]
		select {
		case batches <- batch:
		case <-stop:
			tripped = true
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(batches)
	wg.Wait()
	select {
	case <-stop:
		tripped = true
	default:
	}
	return done, retry, tripped
}

// invoke sends one Batch Operations event for batch and records each task's answer.
func (a *API) invoke(ctx context.Context, j *job, batch []*task) {
	payload, err := batchEvent(j, batch)
	if err != nil {
		answerAll(batch, codePermanentFailure, err.Error())
		return
	}
	resp, functionError, err := a.cfg.Invoker.Invoke(ctx, payload)
	switch {
	case err != nil:
		answerAll(batch, codeTemporaryFailure, "Lambda invoke failed: "+err.Error())
		return
	case functionError != "":
		// Batch Operations redrives a task whose invocation failed.
		answerAll(batch, codeTemporaryFailure, "Lambda returned function error: "+functionError)
		return
	}
	var answer struct {
		InvocationSchemaVersion string `json:"invocationSchemaVersion"`
		TreatMissingKeysAs      string `json:"treatMissingKeysAs"`
		InvocationID            string `json:"invocationId"`
		Results                 []struct {
			TaskID       string `json:"taskId"`
			ResultCode   string `json:"resultCode"`
			ResultString string `json:"resultString"`
		} `json:"results"`
	}
	if err := json.Unmarshal(resp, &answer); err != nil {
		answerAll(batch, codePermanentFailure, "Invalid JSON returned in Lambda payload")
		return
	}
	missing := answer.TreatMissingKeysAs
	if missing == "" {
		missing = codePermanentFailure
	}
	byID := map[string]*task{}
	for _, t := range batch {
		byID[t.id] = t
		t.code, t.message = "", ""
	}
	for _, r := range answer.Results {
		t, ok := byID[r.TaskID]
		if !ok {
			continue
		}
		switch r.ResultCode {
		case codeSucceeded, codeTemporaryFailure, codePermanentFailure:
			t.code, t.message = r.ResultCode, r.ResultString
		default:
			t.code, t.message = codePermanentFailure, fmt.Sprintf("Lambda returned result code %q", r.ResultCode)
		}
	}
	for _, t := range batch {
		if t.code == "" {
			t.code, t.message = missing, "task missing from the Lambda response"
		}
	}
}

// answerAll gives every task of batch the same answer.
func answerAll(batch []*task, code, message string) {
	for _, t := range batch {
		t.code, t.message = code, message
	}
}

// batchEvent is the event Batch Operations sends for batch, in the job's schema. Keys
// are sent form-URL-encoded ("+" for a space, "/" kept), as the events of real jobs
// carry them (see the function's handler for the evidence).
func batchEvent(j *job, batch []*task) ([]byte, error) {
	tasks := make([]map[string]any, 0, len(batch))
	for _, t := range batch {
		m := map[string]any{"taskId": t.id, "s3Key": formEncode(t.key), "s3VersionId": nil}
		if t.versionID != "" {
			m["s3VersionId"] = t.versionID
		}
		if j.spec.schema == SchemaV1 {
			m["s3BucketArn"] = "arn:aws:s3:::" + t.bucket
		} else {
			m["s3Bucket"] = t.bucket
		}
		tasks = append(tasks, m)
	}
	jobField := map[string]any{"id": j.id}
	if j.spec.schema == SchemaV2 {
		jobField["userArguments"] = map[string]string{}
	}
	return json.Marshal(map[string]any{
		"invocationSchemaVersion": j.spec.schema,
		"invocationId":            randomID(),
		"job":                     jobField,
		"tasks":                   tasks,
	})
}

// formEncode form-URL-encodes key, keeping "/".
func formEncode(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// randomID is an opaque base64 identifier, as Batch Operations' task and invocation ids are.
func randomID() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// readManifest reads the job's CSV manifest, checking its ETag, into tasks. Keys in a
// CSV manifest are URL-encoded; "+" is read as itself, as S3 Inventory writes a space %20.
func (a *API) readManifest(ctx context.Context, s jobSpec) ([]*task, error) {
	obj, err := a.cfg.Store.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.manifestBucket), Key: aws.String(s.manifestKey)})
	if err != nil {
		return nil, fmt.Errorf("read manifest s3://%s/%s: %w", s.manifestBucket, s.manifestKey, err)
	}
	defer obj.Body.Close()
	if got := strings.Trim(aws.ToString(obj.ETag), `"`); got != s.manifestETag {
		return nil, fmt.Errorf("manifest s3://%s/%s has ETag %s, the job names %s", s.manifestBucket, s.manifestKey, got, s.manifestETag)
	}
	data, err := io.ReadAll(io.LimitReader(obj.Body, maxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if len(data) > maxManifestBytes {
		return nil, fmt.Errorf("manifest over %d bytes: the local cloud reads smaller ones", maxManifestBytes)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 2
	if s.withVersionID {
		r.FieldsPerRecord = 3
	}
	var tasks []*task
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("manifest line %d: %w", line, err)
		}
		key, err := url.PathUnescape(rec[1])
		if err != nil || rec[0] == "" || key == "" {
			return nil, fmt.Errorf("manifest line %d: %q is no bucket and URL-encoded key", line, strings.Join(rec, ","))
		}
		t := &task{id: randomID(), bucket: rec[0], key: key, encoded: rec[1]}
		if s.withVersionID {
			t.versionID = rec[2]
		}
		tasks = append(tasks, t)
	}
	return tasks, nil
}
