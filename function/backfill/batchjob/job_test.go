package batchjob

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestJobInput pins the CreateJob request against a golden file: LambdaInvoke of the
// function, schema 2.0, the CSV manifest, a report of failed tasks under ReportsPrefix.
func TestJobInput(t *testing.T) {
	j := Job{Account: "123456789012", Bucket: "my-images", ManifestKey: contract.JobManifestsPrefix + "m.csv", ManifestETag: "abc",
		FunctionARN: FunctionARN("Thumbs", "aws", "eu-west-1", "123456789012"),
		RoleARN:     "arn:aws:iam::123456789012:role/Batch", Token: "token", Tasks: 42}
	got, err := j.InputJSON()
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "create-job.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("CreateJob input differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

func TestAccountOfRole(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:role/Batch":        "123456789012",
		"arn:aws-cn:iam::123456789012:role/path/Name": "123456789012",
		"arn:aws:iam::123:role/Batch":                 "",
		"arn:aws:iam::123456789012:user/Batch":        "",
		"Batch":                                       "",
	} {
		got, err := AccountOfRole(arn)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("AccountOfRole(%q) = %q, %v; want %q", arn, got, err, want)
		}
	}
}

// fakeControl answers DescribeJob with each status in turn, failing where err is set.
type fakeControl struct {
	statuses []types.JobStatus
	errs     []error
	calls    int
}

func (f *fakeControl) CreateJob(context.Context, *s3control.CreateJobInput, ...func(*s3control.Options)) (*s3control.CreateJobOutput, error) {
	return nil, errors.New("not used")
}

func (f *fakeControl) DescribeJob(_ context.Context, in *s3control.DescribeJobInput, _ ...func(*s3control.Options)) (*s3control.DescribeJobOutput, error) {
	i := f.calls
	f.calls++
	if i < len(f.errs) && f.errs[i] != nil {
		return nil, f.errs[i]
	}
	return &s3control.DescribeJobOutput{Job: &types.JobDescriptor{JobId: in.JobId, Status: f.statuses[min(i, len(f.statuses)-1)]}}, nil
}

func TestFollow(t *testing.T) {
	boom := errors.New("throttled")
	tests := []struct {
		name    string
		control *fakeControl
		want    types.JobStatus
		seen    int
		wantErr bool
	}{
		{"to completion", &fakeControl{statuses: []types.JobStatus{"Preparing", "Active", "Active", "Complete"}}, "Complete", 4, false},
		{"failed job", &fakeControl{statuses: []types.JobStatus{"Active", "Failed"}}, "Failed", 2, false},
		{"a failed describe is retried", &fakeControl{statuses: []types.JobStatus{"Active", "Active", "Complete"}, errs: []error{nil, boom}}, "Complete", 2, false},
		{"describes that keep failing", &fakeControl{statuses: []types.JobStatus{"Active"}, errs: []error{boom, boom, boom, boom, boom}}, "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := 0
			d, err := Follow(context.Background(), tt.control, "123456789012", "job", time.Millisecond, func(*types.JobDescriptor) { seen++ })
			if (err != nil) != tt.wantErr || (d != nil && d.Status != tt.want) || seen != tt.seen {
				t.Errorf("Follow = %+v, %v after %d descriptions; want %s after %d", d, err, seen, tt.want, tt.seen)
			}
			if d != nil && aws.ToString(d.JobId) != "job" {
				t.Errorf("job id %q", aws.ToString(d.JobId))
			}
		})
	}
}
