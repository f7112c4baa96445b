package s3control

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Formats and values a job accepts, as S3 Batch Operations names them.
const (
	ManifestFormatCSV = "S3BatchOperations_CSV_20180820"
	ReportFormatCSV   = "Report_CSV_20180820"
	ScopeAllTasks     = "AllTasks"
	ScopeFailedOnly   = "FailedTasksOnly"
	SchemaV1          = "1.0"
	SchemaV2          = "2.0"
)

// Job statuses a local job goes through.
const (
	StatusPreparing = "Preparing"
	StatusActive    = "Active"
	StatusComplete  = "Complete"
	StatusFailed    = "Failed"
)

// jobSpec is what a valid CreateJob request asks for, parsed.
type jobSpec struct {
	functionARN    string
	schema         string
	manifestBucket string
	manifestKey    string
	manifestETag   string
	withVersionID  bool
	reportBucket   string // "" when no report
	reportPrefix   string
	allTasks       bool
}

// validate checks a CreateJob request as S3 Control does, where it can be checked
// locally, and for what the local cloud runs: LambdaInvoke of its function over a CSV
// manifest in an S3 object.
func (a *API) validate(req createJobRequest) (jobSpec, error) {
	var s jobSpec
	switch {
	case req.ClientRequestToken == "":
		return s, errors.New("ClientRequestToken is required")
	case req.Priority == nil:
		return s, errors.New("Priority is required")
	case req.RoleArn == "":
		return s, errors.New("RoleArn is required")
	case req.Operation.LambdaInvoke == nil:
		return s, errors.New("Operation: the local cloud runs LambdaInvoke jobs only")
	case req.Manifest == nil || req.ManifestGenerator != nil:
		return s, errors.New("Manifest: the local cloud reads a manifest object only (no ManifestGenerator)")
	}
	op := req.Operation.LambdaInvoke
	fn := strings.TrimSuffix(op.FunctionArn, ":$LATEST")
	if fn != a.cfg.FunctionARN && fn != a.cfg.FunctionName {
		return s, fmt.Errorf("FunctionArn %q: the local cloud runs %s", op.FunctionArn, a.cfg.FunctionARN)
	}
	s.functionARN = a.cfg.FunctionARN
	s.schema = op.InvocationSchemaVersion
	if s.schema == "" {
		s.schema = SchemaV1 // S3 Control's default
	}
	if s.schema != SchemaV1 && s.schema != SchemaV2 {
		return s, fmt.Errorf("InvocationSchemaVersion %q: want %s or %s", op.InvocationSchemaVersion, SchemaV1, SchemaV2)
	}

	m := req.Manifest
	if m.Spec.Format != ManifestFormatCSV {
		return s, fmt.Errorf("Manifest.Spec.Format %q: the local cloud reads %s", m.Spec.Format, ManifestFormatCSV)
	}
	switch strings.Join(m.Spec.Fields, ",") {
	case "Bucket,Key":
	case "Bucket,Key,VersionId":
		s.withVersionID = true
	default:
		return s, fmt.Errorf("Manifest.Spec.Fields %v: want [Bucket Key] or [Bucket Key VersionId]", m.Spec.Fields)
	}
	bucket, key, ok := strings.Cut(strings.TrimPrefix(m.Location.ObjectArn, "arn:"+a.cfg.Partition+":s3:::"), "/")
	if !strings.HasPrefix(m.Location.ObjectArn, "arn:"+a.cfg.Partition+":s3:::") || !ok || bucket == "" || key == "" {
		return s, fmt.Errorf("Manifest.Location.ObjectArn %q: want arn:%s:s3:::BUCKET/KEY", m.Location.ObjectArn, a.cfg.Partition)
	}
	if m.Location.ETag == "" {
		return s, errors.New("Manifest.Location.ETag is required")
	}
	s.manifestBucket, s.manifestKey, s.manifestETag = bucket, key, strings.Trim(m.Location.ETag, `"`)

	r := req.Report
	if r.Enabled {
		name, ok := strings.CutPrefix(r.Bucket, "arn:"+a.cfg.Partition+":s3:::")
		switch {
		case !ok || name == "" || strings.Contains(name, "/"):
			return s, fmt.Errorf("Report.Bucket %q: want arn:%s:s3:::BUCKET", r.Bucket, a.cfg.Partition)
		case r.Format != ReportFormatCSV:
			return s, fmt.Errorf("Report.Format %q: want %s", r.Format, ReportFormatCSV)
		case r.ReportScope != ScopeAllTasks && r.ReportScope != ScopeFailedOnly:
			return s, fmt.Errorf("Report.ReportScope %q: want %s or %s", r.ReportScope, ScopeAllTasks, ScopeFailedOnly)
		}
		s.reportBucket, s.reportPrefix, s.allTasks = name, r.Prefix, r.ReportScope == ScopeAllTasks
	}
	return s, nil
}

// job is one job and its progress, safe for concurrent use.
type job struct {
	id, arn string
	req     createJobRequest
	spec    jobSpec
	created time.Time

	mu         sync.Mutex
	status     string
	reason     string // StatusUpdateReason
	failures   []jobFailure
	total      int64
	succeeded  int64
	failed     int64
	terminated time.Time
}

func newJob(id, arn string, req createJobRequest, spec jobSpec, created time.Time) *job {
	return &job{id: id, arn: arn, req: req, spec: spec, created: created, status: StatusPreparing}
}

// setStatus moves the job to status, for reason.
func (j *job) setStatus(status, reason string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.status, j.reason = status, reason
	if status == StatusComplete || status == StatusFailed {
		j.terminated = time.Now().UTC()
	}
}

// fail ends the job Failed with one failure reason.
func (j *job) fail(code, reason string) {
	j.mu.Lock()
	j.failures = append(j.failures, jobFailure{FailureCode: code, FailureReason: reason})
	j.mu.Unlock()
	j.setStatus(StatusFailed, "Job failed")
}

// count adds finished tasks to the progress.
func (j *job) count(succeeded, failed int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.succeeded += succeeded
	j.failed += failed
}

// progress returns the tasks finished so far.
func (j *job) progress() (total, succeeded, failed int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.total, j.succeeded, j.failed
}

// descriptor is the job as DescribeJob describes it.
func (j *job) descriptor() jobDescriptor {
	j.mu.Lock()
	defer j.mu.Unlock()
	d := jobDescriptor{
		JobID: j.id, ConfirmationRequired: j.req.ConfirmationRequired, Description: j.req.Description,
		JobArn: j.arn, Status: j.status, Manifest: j.req.Manifest, Operation: j.req.Operation,
		ProgressSummary:    progressSummary{TotalNumberOfTasks: j.total, NumberOfTasksSucceeded: j.succeeded, NumberOfTasksFailed: j.failed},
		StatusUpdateReason: j.reason, FailureReasons: j.failures, Report: j.req.Report,
		CreationTime: j.created.Format(time.RFC3339Nano), RoleArn: j.req.RoleArn,
	}
	if j.req.Priority != nil {
		d.Priority = *j.req.Priority
	}
	if !j.terminated.IsZero() {
		d.TerminationDate = j.terminated.Format(time.RFC3339Nano)
	}
	return d
}
