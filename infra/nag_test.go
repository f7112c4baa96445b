package main

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// nagVariants are configurations a user can deploy; each must pass cdk-nag.
var nagVariants = map[string]map[string]any{
	"defaults":        nil,
	"existing bucket": {ContextBucketName: "my-images"},
	"bucket with KMS": withBucketKey,
	"destroy":         {ContextRemovalPolicy: RemovalDestroy},
	"custom":          customContext,
	"alarm email":     withAlarmEmail,
}

// nagFinding matches every finding of the packs addNagChecks runs.
var nagFinding = assertions.Match_StringLikeRegexp(jsii.String("(AwsSolutions|Serverless)-.*"))

func TestNoUnsuppressedNagFindings(t *testing.T) {
	for name, ctx := range nagVariants {
		t.Run(name, func(t *testing.T) {
			annotations := assertions.Annotations_FromStack(synth(t, ctx).stack)
			for _, msg := range *annotations.FindError(jsii.String("*"), nagFinding) {
				t.Errorf("%s: %v", *msg.Id, msg.Entry.Data)
			}
			for _, msg := range *annotations.FindWarning(jsii.String("*"), nagFinding) {
				t.Errorf("%s: %v", *msg.Id, msg.Entry.Data)
			}
		})
	}
}

// TestNagChecksReportFindings shows the check above can fail: the same checks flag a bucket
// and a queue that lack this app's suppressions, in each pack.
func TestNagChecksReportFindings(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Unsuppressed"), nil)
	awss3.NewBucket(stack, jsii.String("Bucket"), &awss3.BucketProps{EnforceSSL: jsii.Bool(true)})
	awssqs.NewQueue(stack, jsii.String("Queue"), &awssqs.QueueProps{EnforceSSL: jsii.Bool(true)})
	addNagChecks(app)
	errs := *assertions.Annotations_FromStack(stack).FindError(jsii.String("*"), nagFinding)
	var ids []string
	for _, msg := range errs {
		ids = append(ids, nagRuleOf(msg.Entry.Data))
	}
	for _, want := range []string{nagAccessLogs, nagQueueRedrive} {
		if !slices.Contains(ids, want) {
			t.Errorf("findings %v, want %s among them", ids, want)
		}
	}
}

// TestSuppressionsAreTheListedOnes pins every suppression: a new one must be added here, with
// the resource and the exact findings it covers.
func TestSuppressionsAreTheListedOnes(t *testing.T) {
	s := defaults(t)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	failureID, _ := s.only(t, "AWS::SQS::Queue", failureQueuePrefix)
	dlqID, _ := s.only(t, "AWS::SQS::Queue", deadLetterPrefix)
	roleID, _ := s.only(t, "AWS::IAM::Role", rolePrefix)
	batchRoleID, _ := s.only(t, "AWS::IAM::Role", batchRolePrefix)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	want := []string{
		batchRoleID + " " + nagWildcard + " [Resource::<" + bucketID + ".Arn>/thumbnail-jobs/manifests/*]",
		batchRoleID + " " + nagWildcard + " [Resource::<" + bucketID + ".Arn>/thumbnail-jobs/reports/*]",
		bucketID + " " + nagAccessLogs,
		dlqID + " " + nagQueueHasNoDLQ,
		dlqID + " " + nagQueueRedrive,
		failureID + " " + nagQueueHasNoDLQ,
		failureID + " " + nagQueueRedrive,
		fnID + " " + nagFunctionDLQ,
		roleID + " " + nagFunctionWildcard,
		roleID + " " + nagWildcard + " [Resource::<" + bucketID + ".Arn>/*]",
		roleID + " " + nagWildcard + " [Resource::<" + bucketID + ".Arn>/resized/*]",
		roleID + " " + nagWildcard + " [Resource::*]",
	}
	sort.Strings(want)

	var got []string
	for id, r := range s.json["Resources"].(map[string]any) {
		meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
		nag, _ := meta["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, rule := range rules {
			rule := rule.(map[string]any)
			if reason, _ := rule["reason"].(string); len(reason) < 60 {
				t.Errorf("%s %s: reason %q is too short to convince a reviewer", id, rule["id"], reason)
			}
			line := id + " " + rule["id"].(string)
			if applies, ok := rule["applies_to"].([]any); ok {
				line += " " + formatList(applies)
			}
			got = append(got, line)
		}
	}
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}

// nagRuleOf extracts "AwsSolutions-S1" from a finding such as "AwsSolutions-S1: The S3 ...".
func nagRuleOf(data any) string {
	text, _ := data.(string)
	rule, _, _ := strings.Cut(text, ":")
	rule, _, _ = strings.Cut(rule, "[")
	return rule
}

// formatList writes a list of strings as [a b].
func formatList(items []any) string {
	parts := make([]string, len(items))
	for i, item := range items {
		parts[i], _ = item.(string)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
