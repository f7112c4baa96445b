package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testBucketKey encrypts the existing bucket of withBucketKey.
const testBucketKey = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// withBucketKey deploys into an existing bucket encrypted with a KMS key.
var withBucketKey = map[string]any{ContextBucketName: "my-images", ContextBucketKmsKeyArn: testBucketKey}

func TestBucketKeyIsUsableThroughS3Only(t *testing.T) {
	s := synth(t, withBucketKey)
	_, role := s.only(t, "AWS::IAM::Role", rolePrefix)
	got := statementsBySid(t, role)["UseBucketKeyThroughS3"]
	want := map[string]any{
		"Sid":       "UseBucketKeyThroughS3",
		"Effect":    "Allow",
		"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey"},
		"Resource":  testBucketKey,
		"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("key statement (-want +got):\n%s", diff)
	}
	for sid, stmt := range statementsBySid(t, role) {
		if sid != "UseBucketKeyThroughS3" && strings.Contains(strings.ToLower(fmt.Sprint(stmt["Action"])), "kms:") {
			t.Errorf("statement %s also grants KMS actions: %v", sid, stmt["Action"])
		}
	}
}

// TestBucketKeyPinsTheRegion: S3 sends a bucket's events to EventBridge in the bucket's own
// region, and an SSE-KMS key is in its bucket's region, so CloudFormation must refuse to
// deploy the stack anywhere else.
func TestBucketKeyPinsTheRegion(t *testing.T) {
	s := synth(t, withBucketKey)
	rules, _ := s.json["Rules"].(map[string]any)
	rule, _ := rules["DeployInTheBucketsRegion"].(map[string]any)
	assertions, _ := rule["Assertions"].([]any)
	if len(assertions) != 1 {
		t.Fatalf("Rules = %v, want one assertion on the region", s.json["Rules"])
	}
	a := assertions[0].(map[string]any)
	if diff := cmp.Diff(map[string]any{"Fn::Equals": []any{ref("AWS::Region"), "eu-west-1"}}, a["Assert"]); diff != "" {
		t.Errorf("assertion (-want +got):\n%s", diff)
	}
	if d, _ := a["AssertDescription"].(string); !strings.Contains(d, "eu-west-1") || !strings.Contains(d, "EventBridge") {
		t.Errorf("AssertDescription %q does not say where to deploy and why", d)
	}
}

func TestNoBucketKeyGrantsNoKMS(t *testing.T) {
	for name, ctx := range map[string]map[string]any{"created bucket": nil, "existing bucket": {ContextBucketName: "my-images"}} {
		t.Run(name, func(t *testing.T) {
			s := synth(t, ctx)
			_, role := s.only(t, "AWS::IAM::Role", rolePrefix)
			if stmt, ok := statementsBySid(t, role)["UseBucketKeyThroughS3"]; ok {
				t.Errorf("KMS statement %v without a bucket key", stmt)
			}
			if rule, ok := s.json["Rules"].(map[string]any)["DeployInTheBucketsRegion"]; ok {
				t.Errorf("region rule %v without a bucket key", rule)
			}
		})
	}
}

func TestBucketKeyContext(t *testing.T) {
	tests := []struct {
		name    string
		ctx     map[string]any
		wantErr string // "" for accepted
	}{
		{"key ARN", withBucketKey, ""},
		{"multi-Region key", map[string]any{ContextBucketName: "b-1", ContextBucketKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"}, ""},
		{"China", map[string]any{ContextBucketName: "b-1", ContextBucketKmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, ""},
		{"without bucketName", map[string]any{ContextBucketKmsKeyArn: testBucketKey}, `context "bucketKmsKeyArn": needs "bucketName"`},
		{"alias", map[string]any{ContextBucketName: "b-1", ContextBucketKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:alias/images"}, `context "bucketKmsKeyArn": KMS key "arn:aws:kms:eu-west-1:111122223333:alias/images": want a key ARN`},
		{"bare key ID", map[string]any{ContextBucketName: "b-1", ContextBucketKmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab"}, `context "bucketKmsKeyArn": KMS key`},
		{"wildcard", map[string]any{ContextBucketName: "b-1", ContextBucketKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/*"}, `context "bucketKmsKeyArn": KMS key`},
		{"no region", map[string]any{ContextBucketName: "b-1", ContextBucketKmsKeyArn: "arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, `context "bucketKmsKeyArn": KMS key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := fromMap(tt.ctx)
			if tt.wantErr == "" {
				if err != nil || s.BucketKey == nil || s.BucketKey.ARN != tt.ctx[ContextBucketKmsKeyArn] {
					t.Fatalf("settings %+v, err %v; want the key", s.BucketKey, err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v\nwant one line starting with %s", err, tt.wantErr)
			}
		})
	}
}
