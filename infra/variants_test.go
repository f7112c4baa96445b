package main

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// customContext changes every setting that reaches the template.
var customContext = map[string]any{
	ContextOutputPrefix:        "thumbs/",
	ContextSize:                "256x128",
	ContextMode:                "fit",
	ContextMemorySize:          "2048",
	ContextTimeoutSeconds:      "60",
	ContextReservedConcurrency: "5",
}

func TestContextReachesTheFunctionAndTheRule(t *testing.T) {
	s := synth(t, customContext)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	_, fn := s.only(t, "AWS::Lambda::Function", functionPrefix)
	_, rule := s.only(t, "AWS::Events::Rule", rulePrefix)
	_, role := s.only(t, "AWS::IAM::Role", rolePrefix)

	want := contract.Default()
	want.OutputPrefix = "thumbs/"
	want.Thumbnail.Width, want.Thumbnail.Height = 256, 128
	want.Thumbnail.Mode = "fit"
	wantEnv := map[string]any{}
	for k, v := range want.Env() {
		wantEnv[k] = v
	}
	statements := statementsBySid(t, role)

	tests := []struct {
		name      string
		want, got any
	}{
		{"environment", wantEnv, fn["Environment"].(map[string]any)["Variables"]},
		{"memory", 2048.0, fn["MemorySize"]},
		{"timeout", 60.0, fn["Timeout"]},
		{"reserved concurrency", 5.0, fn["ReservedConcurrentExecutions"]},
		{"rule key filter", []any{map[string]any{"anything-but": map[string]any{"prefix": "thumbs/"}}},
			rule["EventPattern"].(map[string]any)["detail"].(map[string]any)["object"].(map[string]any)["key"]},
		{"PutObject resource", objectsArn(bucketID, "thumbs/"), statements["WriteThumbnails"]["Resource"]},
		{"DeleteObject resource", objectsArn(bucketID, "thumbs/"), statements["DeleteThumbnails"]["Resource"]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestExistingBucketIsUsedNotCreated(t *testing.T) {
	s := synth(t, map[string]any{ContextBucketName: "my-images"})
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(0)) })
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::S3::BucketPolicy"), jsii.Number(0)) })

	_, rule := s.only(t, "AWS::Events::Rule", rulePrefix)
	bucketName := rule["EventPattern"].(map[string]any)["detail"].(map[string]any)["bucket"]
	if diff := cmp.Diff(map[string]any{"name": []any{"my-images"}}, bucketName); diff != "" {
		t.Errorf("rule bucket filter (-want +got):\n%s", diff)
	}

	_, role := s.only(t, "AWS::IAM::Role", rolePrefix)
	arn := func(suffix string) any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", ref("AWS::Partition"), ":s3:::my-images/" + suffix}}}
	}
	bucketArn := map[string]any{"Fn::Join": []any{"", []any{"arn:", ref("AWS::Partition"), ":s3:::my-images"}}}
	statements := statementsBySid(t, role)
	resources := []struct {
		sid  string
		want any
	}{
		{"ReadImages", arn("*")},
		{"TellMissingObjectsApart", bucketArn},
		{"WriteThumbnails", arn("resized/*")},
		{"DeleteThumbnails", arn("resized/*")},
	}
	for _, r := range resources {
		if diff := cmp.Diff(r.want, statements[r.sid]["Resource"]); diff != "" {
			t.Errorf("%s resource (-want +got):\n%s", r.sid, diff)
		}
	}
	if got := s.json["Outputs"].(map[string]any)["BucketName"].(map[string]any)["Value"]; got != "my-images" {
		t.Errorf("BucketName output = %v, want my-images", got)
	}
}

func TestRemovalPolicyDestroyEmptiesAndDeletesTheBucket(t *testing.T) {
	s := synth(t, map[string]any{ContextRemovalPolicy: RemovalDestroy})
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::S3::Bucket"), map[string]any{"DeletionPolicy": "Delete"})
	})
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::Logs::LogGroup"), map[string]any{"DeletionPolicy": "Delete"})
	})
	check(t, func() { s.template.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(1)) })
}
