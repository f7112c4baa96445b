package main

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// Logical id prefixes of the resources other parts of the project look up in the template.
const (
	bucketPrefix       = "Bucket"
	functionPrefix     = "ThumbnailerFunction"
	invokeConfigPrefix = "ThumbnailerFunctionEventInvokeConfig"
	rulePrefix         = "ThumbnailerObjectEventsRule"
	failureQueuePrefix = "ThumbnailerFailureQueue"
	deadLetterPrefix   = "ThumbnailerDeadLetterQueue"
	rolePrefix         = "ThumbnailerRole"
	logGroupPrefix     = "ThumbnailerLogGroup"
)

func TestBucketIsPrivateEncryptedAndRetained(t *testing.T) {
	s := defaults(t)
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(1)) })
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::S3::Bucket"), map[string]any{
			"DeletionPolicy":      "Retain",
			"UpdateReplacePolicy": "Retain",
			"Properties": map[string]any{
				"PublicAccessBlockConfiguration": map[string]any{
					"BlockPublicAcls": true, "BlockPublicPolicy": true,
					"IgnorePublicAcls": true, "RestrictPublicBuckets": true,
				},
				"BucketEncryption": map[string]any{
					"ServerSideEncryptionConfiguration": []any{map[string]any{
						"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"},
					}},
				},
				"LifecycleConfiguration": map[string]any{"Rules": []any{map[string]any{
					"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
					"Status":                         "Enabled",
				}}},
			},
		})
	})
	// Retained means no custom resource to empty it.
	check(t, func() { s.template.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(0)) })
}

func TestBucketSendsEventsToEventBridgeNatively(t *testing.T) {
	s := defaults(t)
	_, props := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	want := map[string]any{"EventBridgeConfiguration": map[string]any{"EventBridgeEnabled": true}}
	if diff := cmp.Diff(want, props["NotificationConfiguration"]); diff != "" {
		t.Errorf("bucket NotificationConfiguration (-want +got):\n%s", diff)
	}
	check(t, func() { s.template.ResourceCountIs(jsii.String("Custom::S3BucketNotifications"), jsii.Number(0)) })
}

func TestBucketPolicyRefusesPlainHTTP(t *testing.T) {
	s := defaults(t)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
			"Bucket": ref(bucketID),
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Effect":    "Deny",
				"Action":    "s3:*",
				"Principal": map[string]any{"AWS": "*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})})},
		})
	})
}

func TestRuleMatchesCreatedAndDeletedObjectsOutsideOutputPrefix(t *testing.T) {
	s := defaults(t)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	_, props := s.only(t, "AWS::Events::Rule", rulePrefix)
	want := map[string]any{
		"source":      []any{"aws.s3"},
		"detail-type": []any{"Object Created", "Object Deleted"},
		"detail": map[string]any{
			"bucket": map[string]any{"name": []any{ref(bucketID)}},
			"object": map[string]any{"key": []any{map[string]any{"anything-but": map[string]any{"prefix": "resized/"}}}},
		},
	}
	if diff := cmp.Diff(want, props["EventPattern"]); diff != "" {
		t.Errorf("rule EventPattern (-want +got):\n%s", diff)
	}
}

func TestRuleTargetsFunctionWithRetriesAndDeadLetterQueue(t *testing.T) {
	s := defaults(t)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	dlqID, _ := s.only(t, "AWS::SQS::Queue", deadLetterPrefix)
	_, props := s.only(t, "AWS::Events::Rule", rulePrefix)
	want := []any{map[string]any{
		"Id":               "Target0",
		"Arn":              getAtt(fnID, "Arn"),
		"DeadLetterConfig": map[string]any{"Arn": getAtt(dlqID, "Arn")},
		"RetryPolicy": map[string]any{
			"MaximumRetryAttempts":     float64(DefaultTriggerRetryAttempts),
			"MaximumEventAgeInSeconds": DefaultTriggerMaxEventAge.Seconds(),
		},
	}}
	if diff := cmp.Diff(want, props["Targets"]); diff != "" {
		t.Errorf("rule Targets (-want +got):\n%s", diff)
	}
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{
			"Action":       "lambda:InvokeFunction",
			"Principal":    "events.amazonaws.com",
			"FunctionName": getAtt(fnID, "Arn"),
		})
	})
}

func TestExactlyOneFunction(t *testing.T) {
	check(t, func() { defaults(t).template.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(1)) })
}

func TestFunctionRunsGoOnArm(t *testing.T) {
	s := defaults(t)
	roleID, _ := s.only(t, "AWS::IAM::Role", rolePrefix)
	logID, _ := s.only(t, "AWS::Logs::LogGroup", logGroupPrefix)
	_, props := s.only(t, "AWS::Lambda::Function", functionPrefix)
	tests := []struct {
		property string
		want     any
	}{
		{"Runtime", "provided.al2023"},
		{"Handler", "bootstrap"},
		{"Architectures", []any{"arm64"}},
		{"MemorySize", float64(DefaultMemoryMB)},
		{"Timeout", DefaultTimeout.Seconds()},
		{"TracingConfig", map[string]any{"Mode": "Active"}},
		{"RecursiveLoop", "Terminate"},
		{"Role", getAtt(roleID, "Arn")},
		{"LoggingConfig", map[string]any{"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "LogGroup": ref(logID)}},
		{"ReservedConcurrentExecutions", nil},
	}
	for _, tt := range tests {
		t.Run(tt.property, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, props[tt.property]); diff != "" {
				t.Errorf("function %s (-want +got):\n%s", tt.property, diff)
			}
		})
	}
}

func TestFunctionEnvironmentIsTheConfigContract(t *testing.T) {
	_, props := defaults(t).only(t, "AWS::Lambda::Function", functionPrefix)
	want := map[string]any{}
	for k, v := range contract.Default().Env() {
		want[k] = v
	}
	got := props["Environment"].(map[string]any)["Variables"]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("function environment (-contract.Default().Env() +template):\n%s", diff)
	}
}

func TestLogGroupKeepsOneMonth(t *testing.T) {
	s := defaults(t)
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::Logs::LogGroup"), map[string]any{
			"Properties":     map[string]any{"RetentionInDays": 30},
			"DeletionPolicy": "Retain",
		})
	})
}

func TestAsyncInvocationsRetryThenGoToFailureQueue(t *testing.T) {
	s := defaults(t)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	queueID, _ := s.only(t, "AWS::SQS::Queue", failureQueuePrefix)
	_, props := s.only(t, "AWS::Lambda::EventInvokeConfig", invokeConfigPrefix)
	want := map[string]any{
		"FunctionName":             ref(fnID),
		"Qualifier":                "$LATEST",
		"MaximumRetryAttempts":     float64(DefaultRetryAttempts),
		"MaximumEventAgeInSeconds": DefaultMaxEventAge.Seconds(),
		"DestinationConfig":        map[string]any{"OnFailure": map[string]any{"Destination": getAtt(queueID, "Arn")}},
	}
	if diff := cmp.Diff(want, props); diff != "" {
		t.Errorf("EventInvokeConfig (-want +got):\n%s", diff)
	}
}

func TestRoleAllowsExactlyWhatTheFunctionDoes(t *testing.T) {
	s := defaults(t)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	logID, _ := s.only(t, "AWS::Logs::LogGroup", logGroupPrefix)
	queueID, _ := s.only(t, "AWS::SQS::Queue", failureQueuePrefix)
	_, props := s.only(t, "AWS::IAM::Role", rolePrefix)

	allow := func(sid string, action, resource any) map[string]any {
		return map[string]any{"Sid": sid, "Effect": "Allow", "Action": action, "Resource": resource}
	}
	want := []any{map[string]any{
		"PolicyName": "Thumbnails",
		"PolicyDocument": map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				allow("ReadImages", "s3:GetObject", objectsArn(bucketID, "")),
				allow("TellMissingObjectsApart", "s3:ListBucket", getAtt(bucketID, "Arn")),
				allow("WriteThumbnails", "s3:PutObject", objectsArn(bucketID, "resized/")),
				allow("DeleteThumbnails", "s3:DeleteObject", objectsArn(bucketID, "resized/")),
				allow("WriteLogs", []any{"logs:CreateLogStream", "logs:PutLogEvents"}, getAtt(logID, "Arn")),
				allow("WriteTraces", []any{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}, "*"),
				allow("ReportFailures", "sqs:SendMessage", getAtt(queueID, "Arn")),
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
		"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
	}}
	if diff := cmp.Diff(wantAssume, assume); diff != "" {
		t.Errorf("role trust policy (-want +got):\n%s", diff)
	}
	// Nothing may add statements beside the role's own policy.
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(0)) })
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::IAM::ManagedPolicy"), jsii.Number(0)) })
}

func TestNoIdentityPolicyAllowsWildcardActions(t *testing.T) {
	s := defaults(t)
	for _, typ := range []string{"AWS::IAM::Role", "AWS::IAM::Policy"} {
		for id, res := range s.resources(typ) {
			for _, stmt := range allowStatements(res) {
				for _, action := range stringList(stmt["Action"]) {
					if action == "*" || action == "s3:*" || action == "iam:*" {
						t.Errorf("%s %s allows %q", typ, id, action)
					}
				}
			}
		}
	}
}

func TestQueuesAreEncryptedAndRefusePlainHTTP(t *testing.T) {
	s := defaults(t)
	for _, prefix := range []string{failureQueuePrefix, deadLetterPrefix} {
		t.Run(prefix, func(t *testing.T) {
			id, props := s.only(t, "AWS::SQS::Queue", prefix)
			want := map[string]any{"SqsManagedSseEnabled": true, "MessageRetentionPeriod": float64(14 * 24 * 3600)}
			if diff := cmp.Diff(want, props); diff != "" {
				t.Errorf("queue properties (-want +got):\n%s", diff)
			}
			check(t, func() {
				s.template.HasResourceProperties(jsii.String("AWS::SQS::QueuePolicy"), map[string]any{
					"Queues": []any{ref(id)},
					"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
						"Effect":    "Deny",
						"Action":    "sqs:*",
						"Principal": map[string]any{"AWS": "*"},
						"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
						"Resource":  getAtt(id, "Arn"),
					}})},
				})
			})
		})
	}
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(2)) })
}

func TestOutputsNameWhatUsersOperate(t *testing.T) {
	s := defaults(t)
	bucketID, _ := s.only(t, "AWS::S3::Bucket", bucketPrefix)
	fnID, _ := s.only(t, "AWS::Lambda::Function", functionPrefix)
	failureID, _ := s.only(t, "AWS::SQS::Queue", failureQueuePrefix)
	dlqID, _ := s.only(t, "AWS::SQS::Queue", deadLetterPrefix)
	dashboardID, _ := s.only(t, "AWS::CloudWatch::Dashboard", dashboardPrefix)
	batchRoleID, _ := s.only(t, "AWS::IAM::Role", batchRolePrefix)
	want := map[string]any{
		"BatchRoleArn":       getAtt(batchRoleID, "Arn"),
		"DashboardName":      ref(dashboardID),
		"BucketName":         ref(bucketID),
		"FunctionName":       ref(fnID),
		"FailureQueueUrl":    ref(failureID),
		"DeadLetterQueueUrl": ref(dlqID),
	}
	got := map[string]any{}
	for name, out := range s.json["Outputs"].(map[string]any) {
		got[name] = out.(map[string]any)["Value"]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
}

// TestOnlyThumbnailsMayBeDeleted guards the originals: whatever the configuration, no identity
// policy allows deleting an object outside the output prefix.
func TestOnlyThumbnailsMayBeDeleted(t *testing.T) {
	variants := []struct {
		name   string
		ctx    map[string]any
		prefix string
	}{
		{"defaults", nil, "resized/"},
		{"custom", customContext, "thumbs/"},
		{"existing bucket", map[string]any{ContextBucketName: "my-images"}, "resized/"},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := synth(t, v.ctx)
			deletes := 0
			for _, typ := range []string{"AWS::IAM::Role", "AWS::IAM::Policy"} {
				for id, res := range s.resources(typ) {
					for _, stmt := range allowStatements(res) {
						if !slices.ContainsFunc(stringList(stmt["Action"]), mayDeleteObjects) {
							continue
						}
						deletes++
						for _, resource := range resourceList(stmt["Resource"]) {
							if !strings.HasSuffix(arnTail(resource), "/"+v.prefix+"*") {
								t.Errorf("%s %s allows deleting %v, want objects under %s only", typ, id, resource, v.prefix)
							}
						}
					}
				}
			}
			if deletes == 0 {
				t.Errorf("no statement allows deleting thumbnails")
			}
		})
	}
}

// resourceList reads an IAM Resource field that is one value or a list of them.
func resourceList(v any) []any {
	if list, ok := v.([]any); ok {
		return list
	}
	return []any{v}
}

// arnTail is the literal end of an ARN: the ARN itself when it is a string, the last part of
// an Fn::Join when that part is a string, and "" otherwise.
func arnTail(arn any) string {
	switch arn := arn.(type) {
	case string:
		return arn
	case map[string]any:
		join, _ := arn["Fn::Join"].([]any)
		if len(join) != 2 {
			return ""
		}
		parts, _ := join[1].([]any)
		if len(parts) == 0 {
			return ""
		}
		last, _ := parts[len(parts)-1].(string)
		return last
	}
	return ""
}

// mayDeleteObjects reports whether an IAM action covers s3:DeleteObject.
func mayDeleteObjects(action string) bool {
	a := strings.ToLower(action)
	return a == "*" || a == "s3:*" || strings.HasPrefix(a, "s3:delete")
}

// allowStatements returns the Allow statements of every policy document in an IAM resource.
func allowStatements(res map[string]any) []map[string]any {
	props, _ := res["Properties"].(map[string]any)
	var docs []any
	if doc, ok := props["PolicyDocument"]; ok {
		docs = append(docs, doc)
	}
	if policies, ok := props["Policies"].([]any); ok {
		for _, p := range policies {
			docs = append(docs, p.(map[string]any)["PolicyDocument"])
		}
	}
	var out []map[string]any
	for _, doc := range docs {
		stmts, _ := doc.(map[string]any)["Statement"].([]any)
		for _, s := range stmts {
			if stmt := s.(map[string]any); stmt["Effect"] == "Allow" {
				out = append(out, stmt)
			}
		}
	}
	return out
}

// stringList reads an IAM field that is a string or a list of strings.
func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, s := range v {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}

func TestNilPropsMeanDefaults(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := NewThumbnailsStack(app, StackID, nil)
	var got map[string]any
	check(t, func() {
		data, err := json.Marshal(assertions.Template_FromStack(stack, nil).ToJSON())
		if err == nil {
			err = json.Unmarshal(data, &got)
		}
		if err != nil {
			t.Fatal(err)
		}
	})
	ids := func(template map[string]any) []string {
		var out []string
		for id := range template["Resources"].(map[string]any) {
			out = append(out, id)
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff(ids(defaults(t).json), ids(got)); diff != "" {
		t.Errorf("resources of NewThumbnailsStack(nil props) differ from the default app's (-want +got):\n%s", diff)
	}
}
