package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// S3 Batch Operations invokes the function synchronously with a job's tasks
// and reads one result per task from its answer (see HandleBatch).
//
// Key encoding, checked against AWS's documentation ("Invoke AWS Lambda
// function" in the S3 User Guide, and the Lambda Developer Guide's "Invoke a
// Lambda function with Amazon S3 batch events"): the page says the keys Batch
// Operations sends are URL-encoded and must be URL-decoded; its only example
// request is schema 1.0 (task fields s3Key, s3VersionId, s3BucketArn). Schema
// 2.0 (s3Bucket, the bucket's name, instead of s3BucketArn, and the job's
// userArguments) is described in the LambdaInvokeOperation API reference,
// which says nothing about keys, and no AWS page says that 2.0 keys arrive
// unencoded. Powertools for Lambda (Python), whose maintainers tested it
// against real jobs, decodes the key of both schemas the form-URL way ('+' is
// a space: "the key is url encoded with %20 in the inventory file but in the
// event it is sent with +"). So keys of both schemas are read like an S3
// notification's: decoded first, and the raw key tried once when no object
// has the decoded one (candidateKeys), which is right whichever way a key
// arrives unless both readings name objects.

// BatchEvent is the Event name a Batch Operations task's record carries in logs.
const BatchEvent = "S3 Batch Operations"

// maxResultString bounds the result string of one task: the completion report repeats it.
const maxResultString = 512

// batchDeadlineMargin is how much of the invocation's time a task needs to be
// started: tasks left when less remains are answered TemporaryFailure, to be
// redriven, rather than cut off by Lambda's timeout with no answer at all.
const batchDeadlineMargin = 2 * time.Second

// batchEnvelope holds the top-level fields that tell a Batch Operations event apart.
type batchEnvelope struct {
	InvocationSchemaVersion *string         `json:"invocationSchemaVersion"`
	InvocationID            string          `json:"invocationId"`
	Tasks                   json.RawMessage `json:"tasks"`
}

// IsBatchEvent reports whether payload is an S3 Batch Operations invocation:
// a JSON object with "invocationSchemaVersion" and "tasks".
func IsBatchEvent(payload []byte) bool {
	var env batchEnvelope
	return json.Unmarshal(payload, &env) == nil && env.InvocationSchemaVersion != nil && env.Tasks != nil
}

// Invoke is the Lambda entry point for every event the function accepts. An
// S3 Batch Operations invocation is answered by HandleBatch; any other event
// (EventBridge, S3 notification) goes to Handle and is answered with null.
func (h *Handler) Invoke(ctx context.Context, payload json.RawMessage) (any, error) {
	if IsBatchEvent(payload) {
		return h.HandleBatch(ctx, payload)
	}
	return nil, h.Handle(ctx, payload)
}

// batchTask is one task of either schema: the bucket's name, the key as sent.
type batchTask struct {
	id, bucket, key, versionID string
}

// HandleBatch answers an S3 Batch Operations invocation (schema 1.0 or 2.0)
// with one result per task, in the order of the tasks. Each task is handled
// like an Object Created event for its key; the function never deletes in a
// batch job (orphan thumbnails stay with the listing backfill).
//
// The error is non-nil only when the payload is not a Batch Operations event
// at all; a task that fails is answered PermanentFailure or TemporaryFailure,
// never by failing the invocation, so the other tasks' results count.
func (h *Handler) HandleBatch(ctx context.Context, payload []byte) (resp *events.S3BatchJobResponse, err error) {
	log := h.log
	if log == nil {
		log = slog.Default()
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		log = log.With(FieldRequestID, lc.AwsRequestID)
	}
	defer func() {
		if p := recover(); p != nil {
			log.ErrorContext(ctx, "panic while handling a batch invocation", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			resp, err = nil, fmt.Errorf("panic while handling a batch invocation: %v", p)
		}
	}()
	if h.read == nil || h.make == nil || h.out.s3 == nil || h.now == nil {
		return nil, errors.New("handler not built with New: no S3 client, image core or clock")
	}
	var env batchEnvelope
	if err := json.Unmarshal(payload, &env); err != nil || env.InvocationSchemaVersion == nil || env.Tasks == nil {
		return nil, fmt.Errorf("%w: not an S3 Batch Operations invocation", ErrUnknownEvent)
	}
	schema := *env.InvocationSchemaVersion
	resp = &events.S3BatchJobResponse{
		InvocationSchemaVersion: schema,
		// A task left out of the answer failed for good: Batch Operations must not count it done.
		TreatMissingKeysAs: contract.BatchPermanentFailure,
		InvocationID:       env.InvocationID,
		Results:            []events.S3BatchJobResult{},
	}
	jobID, tasks, err := decodeBatchTasks(schema, payload)
	if err != nil {
		// The tasks cannot be read, so none can be answered by id: every one
		// that can be named is answered PermanentFailure, the rest fall to
		// TreatMissingKeysAs, which says the same.
		log.ErrorContext(ctx, "batch invocation refused", FieldReason, err.Error(), "input", quote(payload))
		for _, id := range taskIDs(payload) {
			resp.Results = append(resp.Results, batchResult(id, contract.BatchPermanentFailure, err.Error()))
		}
		return resp, nil
	}
	log = log.With("job_id", jobID, "schema", schema)
	for _, t := range tasks {
		resp.Results = append(resp.Results, h.batchTask(ctx, log, t))
	}
	return resp, nil
}

// decodeBatchTasks reads the job id and the tasks of a payload of schema 1.0 or 2.0.
func decodeBatchTasks(schema string, payload []byte) (string, []batchTask, error) {
	switch schema {
	case contract.BatchSchemaV1:
		var e events.S3BatchJobEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			return "", nil, fmt.Errorf("batch invocation (schema %s): %v", schema, err)
		}
		tasks := make([]batchTask, 0, len(e.Tasks))
		for _, t := range e.Tasks {
			tasks = append(tasks, batchTask{id: t.TaskID, bucket: bucketOfARN(t.S3BucketARN), key: t.S3Key, versionID: t.S3VersionID})
		}
		return e.Job.ID, tasks, nil
	case contract.BatchSchemaV2:
		var e events.S3BatchJobEventV2
		if err := json.Unmarshal(payload, &e); err != nil {
			return "", nil, fmt.Errorf("batch invocation (schema %s): %v", schema, err)
		}
		tasks := make([]batchTask, 0, len(e.Tasks))
		for _, t := range e.Tasks {
			tasks = append(tasks, batchTask{id: t.TaskID, bucket: t.S3Bucket, key: t.S3Key, versionID: t.S3VersionID})
		}
		return e.Job.ID, tasks, nil
	}
	return "", nil, fmt.Errorf("batch invocation schema %q: want %q or %q", schema, contract.BatchSchemaV1, contract.BatchSchemaV2)
}

// bucketOfARN returns the bucket name of an S3 bucket ARN ("arn:aws:s3:::name"),
// or "" when arn is not one.
func bucketOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "s3" || strings.Contains(parts[5], "/") {
		return ""
	}
	return parts[5]
}

// taskIDs returns the taskId of every task of a payload it can read, whatever its schema.
func taskIDs(payload []byte) []string {
	var e struct {
		Tasks []struct {
			TaskID string `json:"taskId"`
		} `json:"tasks"`
	}
	if json.Unmarshal(payload, &e) != nil {
		return nil
	}
	ids := make([]string, 0, len(e.Tasks))
	for _, t := range e.Tasks {
		if t.TaskID != "" {
			ids = append(ids, t.TaskID)
		}
	}
	return ids
}

// batchTask handles one task as an Object Created record, reports its
// outcome's metrics as process does, and answers its result.
func (h *Handler) batchTask(ctx context.Context, log *slog.Logger, t batchTask) events.S3BatchJobResult {
	r := Record{Action: ActionCreated, Event: BatchEvent, Bucket: t.bucket, Key: t.key, VersionID: t.versionID}
	key := t.key
	if key != "" {
		key = candidateKeys(t.key)[0]
	}
	log = log.With(FieldEvent, r.Event, FieldBucket, r.Bucket, FieldKey, key, "task_id", t.id)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < batchDeadlineMargin {
		log.WarnContext(ctx, "task not started: the invocation is out of time; Batch Operations redrives it")
		return batchResult(t.id, contract.BatchTemporaryFailure, "invocation out of time")
	}
	started := h.now()
	result, err := h.act(ctx, log, r)
	var answer events.S3BatchJobResult
	switch {
	case err == nil:
		answer = batchAnswer(t.id, result)
	case isPermanent(err):
		log.ErrorContext(ctx, "failed permanently, not retried", FieldReason, err.Error())
		result = outcome{kind: outcomeRejected, reason: rejectReason(err)}
		answer = batchResult(t.id, contract.BatchPermanentFailure, result.reason+": "+err.Error())
	default:
		log.ErrorContext(ctx, "failed, to be retried by Batch Operations", FieldReason, err.Error())
		result = outcome{kind: outcomeFailed, reason: transientReason(err)}
		answer = batchResult(t.id, contract.BatchTemporaryFailure, result.reason+": "+err.Error())
	}
	finished := h.now()
	h.report(ctx, log, result, finished, finished.Sub(started))
	return answer
}

// batchAnswer maps a record's outcome to a task result. A key that is no
// original (a thumbnail, a folder, a job's file) succeeds, skipped: there is
// nothing to make. An original that exists and gets no thumbnail, or is gone,
// fails permanently, so the completion report lists it.
func batchAnswer(taskID string, o outcome) events.S3BatchJobResult {
	switch o.kind {
	case outcomeMade:
		return batchResult(taskID, contract.BatchSucceeded, "thumbnail written")
	case outcomeSkipped:
		switch o.reason {
		case SkipUpToDate:
			return batchResult(taskID, contract.BatchSucceeded, "thumbnail up to date")
		case SkipGone:
			return batchResult(taskID, contract.BatchPermanentFailure, "original missing")
		case SkipTooLarge:
			return batchResult(taskID, contract.BatchPermanentFailure, RejectTooLarge+": over the byte limit")
		case SkipEmpty:
			return batchResult(taskID, contract.BatchPermanentFailure, "empty: the object has no bytes")
		}
		return batchResult(taskID, contract.BatchSucceeded, "skipped: "+o.reason)
	}
	return batchResult(taskID, contract.BatchPermanentFailure, fmt.Sprintf("unexpected outcome %d (%s)", o.kind, o.reason))
}

// batchResult builds one task result, its string bounded.
func batchResult(taskID, code, s string) events.S3BatchJobResult {
	if len(s) > maxResultString {
		s = s[:maxResultString-3] + "..."
	}
	return events.S3BatchJobResult{TaskID: taskID, ResultCode: code, ResultString: s}
}
