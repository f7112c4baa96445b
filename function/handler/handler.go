// Package handler is the Lambda function's logic: it turns S3 events (from
// EventBridge or classic S3 notifications) into thumbnails written under the
// output prefix, and deletes a thumbnail when its original is deleted.
//
// Failures are sorted so that Lambda retries only what a retry can fix: an
// event or image that can never succeed is logged at ERROR and dropped; a
// transient S3 failure is returned, so Lambda retries the event and finally
// hands it to the on-failure destination. Every step is idempotent, which
// makes those retries safe.
//
// Every record ends in one outcome (made, deleted, skipped, rejected or failed,
// with its reason), which WithMetrics counts in CloudWatch embedded-metric-format
// lines: see MetricsNamespace and the Metric* names.
package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// MakeFunc makes one thumbnail of a source already in memory;
// thumbnail.MakeBytes is the real one.
type MakeFunc func(data []byte, opts thumbnail.Options) (*thumbnail.Result, error)

// sourceReader is what the handler reads from S3: originals and thumbnails' headers.
type sourceReader interface {
	ObjectGetter
	ObjectHeader
}

// Handler serves S3 events. Build it once per cold start with New.
type Handler struct {
	cfg  contract.Config
	read sourceReader
	out  outputs
	make MakeFunc
	log  *slog.Logger
	// metrics receives one EMF line per record outcome; nil writes none.
	metrics *emfWriter
	// now reads the clock that times records and stamps their metrics.
	now func() time.Time
}

// New returns a Handler that reads and writes through client, makes thumbnails
// with thumbnail.MakeBytes and logs to log, changed by opts. It refuses a Config
// that fails Validate and an option that fails.
func New(cfg contract.Config, client S3API, log *slog.Logger, opts ...Option) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("handler config: %w", err)
	}
	if client == nil || log == nil {
		return nil, errors.New("handler needs an S3 client and a logger")
	}
	h := &Handler{
		cfg:  cfg,
		read: client,
		out:  outputs{prefix: cfg.OutputPrefix, s3: client},
		make: thumbnail.MakeBytes,
		log:  log,
		now:  time.Now,
	}
	for _, opt := range opts {
		if err := opt(h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Handle is the Lambda entry point. It processes every record of the event and
// returns the joined errors of those worth retrying, or nil.
//
// An input that is not an S3 event is logged at ERROR and dropped (nil): the
// same bytes would fail the same way on every retry, and the log line, which
// quotes the input's start, is where an operator finds it.
func (h *Handler) Handle(ctx context.Context, payload json.RawMessage) (err error) {
	log := h.log
	if log == nil {
		log = slog.Default()
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		log = log.With(FieldRequestID, lc.AwsRequestID)
	}
	defer func() {
		if p := recover(); p != nil {
			log.ErrorContext(ctx, "panic while handling event", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic while handling event: %v", p)
		}
	}()
	if h.read == nil || h.make == nil || h.out.s3 == nil || h.now == nil {
		return errors.New("handler not built with New: no S3 client, image core or clock")
	}
	records, err := Decode(payload)
	if err != nil {
		log.ErrorContext(ctx, "event dropped: not an S3 event", "error", err, "input", quote(payload))
		h.report(ctx, log, outcome{kind: outcomeRejected, reason: RejectNotS3Event}, h.now(), 0)
		return nil
	}
	var errs []error
	for _, r := range records {
		if err := h.process(ctx, log, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// process handles one record, sorts its failure and reports its outcome: nil
// for done, skipped or permanently failed (logged), an error for a failure
// worth retrying.
func (h *Handler) process(ctx context.Context, log *slog.Logger, r Record) error {
	log = log.With(FieldEvent, r.Event, FieldBucket, r.Bucket, FieldKey, candidateKeys(r.Key)[0])
	started := h.now()
	result, err := h.act(ctx, log, r)
	var retry error
	switch {
	case err == nil:
	case isPermanent(err):
		log.ErrorContext(ctx, "failed permanently, not retried", FieldReason, err.Error())
		result = outcome{kind: outcomeRejected, reason: rejectReason(err)}
	default:
		log.ErrorContext(ctx, "failed, to be retried", FieldReason, err.Error())
		result = outcome{kind: outcomeFailed, reason: transientReason(err)}
		retry = fmt.Errorf("%s s3://%s/%s: %w", r.Action, r.Bucket, r.Key, err)
	}
	finished := h.now()
	h.report(ctx, log, result, finished, finished.Sub(started))
	return retry
}

// act does what a record asks. A panic becomes a *panicError, logged with its stack.
func (h *Handler) act(ctx context.Context, log *slog.Logger, r Record) (result outcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.ErrorContext(ctx, "panic while handling record", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			result, err = outcome{}, &panicError{value: p}
		}
	}()
	log.DebugContext(ctx, "record received", "action", r.Action, "size", r.Size, "has_size", r.HasSize,
		"etag", r.ETag, "version_id", r.VersionID, "sequencer", r.Sequencer, "event_reason", r.Reason)
	switch {
	case r.Action == ActionIgnored:
		return logSkip(ctx, log, SkipEventType), nil
	case r.Bucket == "" || r.Key == "":
		return outcome{}, permanent(RejectIncompleteRecord, fmt.Errorf("%s record without bucket or key", r.Event))
	case r.Action == ActionCreated:
		return h.created(ctx, log, r)
	case r.Action == ActionDeleted:
		return h.deleted(ctx, log, r)
	}
	return outcome{}, permanent(RejectUnknownAction, fmt.Errorf("record with unknown action %q", r.Action))
}

// report writes the metrics of one outcome, stamped at, when the handler has
// metrics. A metric that cannot be written is logged, never failed on: a retry
// would redo the record's work for a count.
func (h *Handler) report(ctx context.Context, log *slog.Logger, o outcome, at time.Time, elapsed time.Duration) {
	if h.metrics == nil {
		return
	}
	if err := h.metrics.write(at, o, elapsed); err != nil {
		log.WarnContext(ctx, "metrics not written", "error", err.Error())
	}
}

// maxQuoted bounds how much of an unreadable input one log line repeats.
const maxQuoted = 512

// quote returns the start of an input for a log line.
func quote(payload []byte) string {
	if len(payload) > maxQuoted {
		return string(payload[:maxQuoted]) + "..."
	}
	return string(payload)
}
