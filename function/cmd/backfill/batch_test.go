package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// TestBatchFlags checks the combinations -batch refuses, each with one line naming why.
func TestBatchFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"batch needs a role", []string{"-bucket", "p", "-function", "f", "-batch"}, "-batch needs -role-arn"},
		{"role needs batch", []string{"-bucket", "p", "-function", "f", "-role-arn", "arn:aws:iam::123456789012:role/B"}, "-role-arn needs -batch"},
		{"no resume", []string{"-bucket", "p", "-function", "f", "-batch", "-role-arn", "arn:aws:iam::123456789012:role/B", "-resume"}, "-batch cannot -resume"},
		{"not a role", []string{"-bucket", "p", "-function", "f", "-batch", "-role-arn", "arn:aws:iam::123456789012:user/B"}, "want an IAM role ARN"},
		{"poll", []string{"-bucket", "p", "-function", "f", "-batch", "-role-arn", "arn:aws:iam::123456789012:role/B", "-poll", "0s"}, "-poll must be above 0"},
		{"dry run needs no role", []string{"-bucket", "p", "-batch", "-dry-run"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			o, err := parseFlags(tt.args, &stderr)
			if tt.wantErr == "" {
				if err != nil || !o.batch.enabled {
					t.Errorf("parseFlags = %+v, %v\n%s", o, err, stderr.String())
				}
				return
			}
			if err == nil || !strings.HasPrefix(stderr.String(), "backfill: ") || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("parseFlags error %v, stderr:\n%s\nwant a line with %q", err, stderr.String(), tt.wantErr)
			}
		})
	}
}

// TestBatchDryRun prints the manifest's size and the job it would create, and writes
// nothing to the bucket.
func TestBatchDryRun(t *testing.T) {
	isolateAWS(t)
	cloud := localBucket(t, cloudtest.LambdaOptions{}, "a.jpg", "b c.jpg")
	args := []string{"-endpoint", cloud.URL, "-checkpoint", filepath.Join(t.TempDir(), "cp.json"), "-bucket", "photos",
		"-function", "thumbs", "-batch", "-role-arn", "arn:aws:iam::123456789012:role/Batch", "-dry-run"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{
		"2 originals need a thumbnail, 30 bytes",
		"orphans          1  (thumbnails whose original is gone: not in the manifest",
		"Dry run: no manifest uploaded, no job created. The manifest would be s3://photos/thumbnail-jobs/manifests/",
		`"FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:thumbs"`,
		`"InvocationSchemaVersion": "2.0"`,
		`"ReportScope": "FailedTasksOnly"`,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	listed := 0
	for range mustList(t, cloud) {
		listed++
	}
	if listed != 3 {
		t.Errorf("%d objects in the bucket after a dry run, want the 3 put", listed)
	}
}

// mustList returns the keys of bucket "photos".
func mustList(t *testing.T, cloud *cloudtest.Cloud) []string {
	t.Helper()
	out, err := cloud.S3().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("photos")})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}
