package batchjob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// ReportsPrefix is the report prefix of every job: contract.JobReportsPrefix
// without its final "/", as Batch Operations writes
// ReportsPrefix/job-ID/manifest.json and ReportsPrefix/job-ID/results/*.csv.
var ReportsPrefix = strings.TrimSuffix(contract.JobReportsPrefix, "/")

// Control is what the backfill asks of S3 Control.
type Control interface {
	CreateJob(ctx context.Context, params *s3control.CreateJobInput, optFns ...func(*s3control.Options)) (*s3control.CreateJobOutput, error)
	DescribeJob(ctx context.Context, params *s3control.DescribeJobInput, optFns ...func(*s3control.Options)) (*s3control.DescribeJobOutput, error)
}

var _ Control = (*s3control.Client)(nil)

// Job is the job one backfill creates.
type Job struct {
	// Account owns the job: the account of the role.
	Account string
	// Bucket holds the originals, the manifest and the report.
	Bucket string
	// ManifestKey and ManifestETag locate the uploaded manifest.
	ManifestKey, ManifestETag string
	// FunctionARN is the thumbnail function; RoleARN the role Batch Operations assumes.
	FunctionARN, RoleARN string
	// Token makes CreateJob idempotent: a retried request creates no second job.
	Token string
	// Tasks is the manifest's line count, for the description.
	Tasks int
}

// Priority of the jobs the backfill creates (Batch Operations runs higher first).
const Priority = 10

// Input is the CreateJob request of j: LambdaInvoke of the function with invocation
// schema 2.0 over the CSV manifest, confirmed at once, with a completion report of the
// failed tasks under ReportsPrefix in the same bucket.
func (j Job) Input() *s3control.CreateJobInput {
	partition := PartitionOf(j.RoleARN)
	return &s3control.CreateJobInput{
		AccountId:            aws.String(j.Account),
		ClientRequestToken:   aws.String(j.Token),
		ConfirmationRequired: aws.Bool(false),
		Description:          aws.String(fmt.Sprintf("thumbnails backfill of %s: %d originals", j.Bucket, j.Tasks)),
		Priority:             aws.Int32(Priority),
		RoleArn:              aws.String(j.RoleARN),
		Operation: &types.JobOperation{LambdaInvoke: &types.LambdaInvokeOperation{
			FunctionArn:             aws.String(j.FunctionARN),
			InvocationSchemaVersion: aws.String(contract.BatchSchemaV2),
		}},
		Manifest: &types.JobManifest{
			Spec: &types.JobManifestSpec{
				Format: types.JobManifestFormatS3BatchOperationsCsv20180820,
				Fields: []types.JobManifestFieldName{types.JobManifestFieldNameBucket, types.JobManifestFieldNameKey},
			},
			Location: &types.JobManifestLocation{
				ObjectArn: aws.String(fmt.Sprintf("arn:%s:s3:::%s/%s", partition, j.Bucket, j.ManifestKey)),
				ETag:      aws.String(j.ManifestETag),
			},
		},
		Report: &types.JobReport{
			Enabled:     true,
			Bucket:      aws.String(fmt.Sprintf("arn:%s:s3:::%s", partition, j.Bucket)),
			Format:      types.JobReportFormatReportCsv20180820,
			Prefix:      aws.String(ReportsPrefix),
			ReportScope: types.JobReportScopeFailedTasksOnly,
		},
	}
}

// ReportManifestKey is where the completion report's manifest.json of job id goes.
func ReportManifestKey(jobID string) string {
	return path.Join(ReportsPrefix, "job-"+jobID, "manifest.json")
}

// AccountOfRole returns the account ID in an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).
func AccountOfRole(roleARN string) (string, error) {
	parts := strings.SplitN(roleARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || len(parts[4]) != 12 || !strings.HasPrefix(parts[5], "role/") {
		return "", fmt.Errorf("role %q: want an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME (the stack's BatchRoleArn output)", roleARN)
	}
	return parts[4], nil
}

// PartitionOf returns the partition of an ARN ("aws" when it names none).
func PartitionOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 3); len(parts) == 3 && parts[1] != "" {
		return parts[1]
	}
	return "aws"
}

// FunctionARN returns function as an ARN: as it is when it is one, else the ARN of the
// function of that name in region and account.
func FunctionARN(function, partition, region, account string) string {
	if strings.HasPrefix(function, "arn:") {
		return function
	}
	return fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", partition, region, account, function)
}

// Terminal reports whether a job in status has ended.
func Terminal(status types.JobStatus) bool {
	switch status {
	case types.JobStatusComplete, types.JobStatusFailed, types.JobStatusCancelled:
		return true
	}
	return false
}

// Follow describes the job every interval until it ends, handing each description to
// progress, and returns the last one. A description that fails is retried at the next
// interval, up to maxDescribeFailures in a row.
func Follow(ctx context.Context, c Control, account, jobID string, every time.Duration, progress func(*types.JobDescriptor)) (*types.JobDescriptor, error) {
	failures := 0
	for {
		out, err := c.DescribeJob(ctx, &s3control.DescribeJobInput{AccountId: aws.String(account), JobId: aws.String(jobID)})
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			failures++
			if failures >= maxDescribeFailures {
				return nil, fmt.Errorf("describe job %s: %w", jobID, err)
			}
		case out.Job == nil:
			return nil, errors.New("describe job " + jobID + ": no job in the answer")
		default:
			failures = 0
			progress(out.Job)
			if Terminal(out.Job.Status) {
				return out.Job, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(every):
		}
	}
}

// maxDescribeFailures is how many DescribeJob failures in a row end Follow.
const maxDescribeFailures = 5

// InputJSON is Input as indented JSON without the fields left unset: the shape of
// aws s3control create-job --cli-input-json, so an operator can read or replay it.
func (j Job) InputJSON() ([]byte, error) {
	raw, err := json.Marshal(j.Input())
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.MarshalIndent(dropNulls(v), "", "  ")
}

// dropNulls removes the null members of every object in v.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(x)
		}
	case []any:
		for i, x := range v {
			v[i] = dropNulls(x)
		}
	}
	return v
}
