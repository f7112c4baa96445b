package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/serverless-thumbnails/thumbnails/function/backfill/batchjob"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// batchRolePrefix is the logical id prefix of the Batch Operations role.
const batchRolePrefix = "BatchOperationsRole"

// TestBatchRoleMayOnlyInvokeTheFunctionAndUseItsPrefix pins the Batch Operations role:
// assumable by S3 Batch Operations alone, allowed to invoke this function, read the
// manifests and write the reports under thumbnail-jobs/, and nothing more.
func TestBatchRoleMayOnlyInvokeTheFunctionAndUseItsPrefix(t *testing.T) {
	s := defaults(t)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	_, props := s.only(t, "AWS::IAM::Role", batchRolePrefix)

	allow := func(sid string, action, resource any) map[string]any {
		return map[string]any{"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource}
	}
	want := []any{map[string]any{
		"PolicyName": "BatchOperations",
		"PolicyDocument": map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				allow("InvokeThumbnailFunction", "lambda:InvokeFunction", getAtt(fnID, "Arn")),
				allow("ReadManifests", []any{"s3:GetObject", "s3:GetObjectVersion"}, objectsArn(bucketID, "thumbnail-jobs/manifests/")),
				allow("WriteReports", "s3:PutObject", objectsArn(bucketID, "thumbnail-jobs/reports/")),
				allow("LocateBucket", "s3:GetBucketLocation", getAtt(bucketID, "Arn")),
			},
		},
	}}
	if diff := cmp.Diff(want, props["Policies"]); diff != "" {
		t.Errorf("role policies (-want +got):\n%s", diff)
	}
	if got := props["ManagedPolicyArns"]; got != nil {
		t.Errorf("role has managed policies %v, want none", got)
	}
	assume := props["AssumeRolePolicyDocument"].(map[string]any)["Statement"]
	wantAssume := []any{map[string]any{
		"Action": "sts:AssumeRole", "Effect": "Allow",
		"Principal": map[string]any{"Service": "batchoperations.s3.amazonaws.com"},
	}}
	if diff := cmp.Diff(wantAssume, assume); diff != "" {
		t.Errorf("role trust policy (-want +got):\n%s", diff)
	}
}

// TestBatchRolePrefixesAreTheBackfills checks that the job the batch backfill creates
// keeps its files where the role may reach them: the manifest under
// contract.JobManifestsPrefix, the report under contract.JobReportsPrefix.
func TestBatchRolePrefixesAreTheBackfills(t *testing.T) {
	const bucket = "my-images"
	in := batchjob.Job{Account: "123456789012", Bucket: bucket, ManifestKey: contract.JobManifestsPrefix + "m.csv",
		RoleARN: "arn:aws:iam::123456789012:role/Batch"}.Input()
	if arn, want := *in.Manifest.Location.ObjectArn, "arn:aws:s3:::"+bucket+"/"+contract.JobManifestsPrefix; !strings.HasPrefix(arn, want) {
		t.Errorf("the backfill's manifest is %q, the role reads only under %q", arn, want)
	}
	if got := *in.Report.Prefix + "/"; got != contract.JobReportsPrefix {
		t.Errorf("the backfill asks for reports under %q, the role writes only under %q", got, contract.JobReportsPrefix)
	}
}
