package main

import (
	"encoding/json"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// The AwsSolutions rules this app suppresses. Each suppression sits on one CloudFormation
// resource, and IAM5 ones on named policy resources only, with the reason beside it.
const (
	nagAccessLogs    = "AwsSolutions-S1"
	nagQueueHasNoDLQ = "AwsSolutions-SQS3"
	nagWildcard      = "AwsSolutions-IAM5"
)

// The Serverless rules this app suppresses, each where it applies, with the reason beside it.
const (
	nagQueueRedrive        = "Serverless-SQSRedrivePolicy"
	nagFunctionDLQ         = "Serverless-LambdaDLQ"
	nagFunctionWildcard    = "Serverless-LambdaStarPermissions"
	nagSubscriptionRedrive = "Serverless-SNSRedrivePolicy"
)

// addNagChecks runs the AwsSolutions and the Serverless rules over the app at synth: a
// finding is an error annotation that fails `cdk synth`, and cdk.out gets a report of every
// rule checked, one per pack.
func addNagChecks(app awscdk.App) {
	props := &cdknag.NagPackProps{Verbose: jsii.Bool(true), Reports: jsii.Bool(true)}
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(props), nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewServerlessChecks(props), nil)
}

// suppressBucketFindings explains what the created images bucket leaves out.
func suppressBucketFindings(bucket awss3.Bucket) {
	suppress(bucket.Node().DefaultChild(), nagAccessLogs,
		"Server access logs would need a second bucket and a log object per request, a cost users "+
			"did not ask for. Every request is signed (public access blocked, TLS enforced), so "+
			"CloudTrail S3 data events give an audit trail when one is needed.")
}

// suppressFunctionFindings explains the queues and the wildcards of the function's role.
func suppressFunctionFindings(tf *ThumbnailFunction, bucket awss3.IBucket, outputPrefix string) {
	suppress(tf.FailureQueue.Node().DefaultChild(), nagQueueHasNoDLQ,
		"This queue is the on-failure destination of the function's asynchronous invocations: "+
			"failed events end here, so a dead-letter queue behind it would never receive anything. "+
			"cdk-nag recognises only queues named as another queue's dead-letter queue.")
	suppress(tf.DeadLetterQueue.Node().DefaultChild(), nagQueueHasNoDLQ,
		"This queue is the dead-letter queue of the EventBridge rule's target; cdk-nag recognises "+
			"only queues named as another queue's dead-letter queue.")
	suppress(tf.FailureQueue.Node().DefaultChild(), nagQueueRedrive,
		"This queue is where failed invocations end: nothing consumes it automatically, so no "+
			"message is ever received often enough to be redriven. An operator reads it and replays events.")
	suppress(tf.DeadLetterQueue.Node().DefaultChild(), nagQueueRedrive,
		"This queue is where events EventBridge could not deliver end: nothing consumes it "+
			"automatically, so no message is ever received often enough to be redriven.")
	suppress(tf.Function.Node().DefaultChild(), nagFunctionDLQ,
		"Failed asynchronous invocations go to an on-failure destination (the failure queue), which "+
			"receives the whole invocation record, error included; a dead-letter queue would receive "+
			"the same events again with less context.")

	role := tf.Role.Node().DefaultChild()
	suppress(role, nagWildcard,
		"The function reads whichever image was uploaded to its own bucket: the object key is "+
			"known only when the event arrives.",
		nagResource(role, bucket.ArnForObjects(jsii.String("*"))))
	suppress(role, nagWildcard,
		"The function writes and deletes thumbnails only under the output prefix; the wildcard "+
			"is the object key below it, known only when the event arrives. Originals outside the "+
			"prefix can never be deleted.",
		nagResource(role, bucket.ArnForObjects(jsii.String(outputPrefix+"*"))))
	suppress(role, nagWildcard,
		"xray:PutTraceSegments and xray:PutTelemetryRecords have no resource types: \"*\" is the "+
			"only resource AWS accepts for them.",
		"Resource::*")
	suppress(role, nagFunctionWildcard,
		"The role's only wildcards are the three AwsSolutions-IAM5 suppresses on this role, each "+
			"explained there: object keys known only when an event arrives (reads anywhere in the "+
			"bucket, writes and deletes under the output prefix only) and X-Ray's actions, which "+
			"accept no resource but \"*\". No action is a wildcard.")
}

// suppressAlarmSubscriptionFindings explains why the alarm e-mail subscription has no
// dead-letter queue.
func suppressAlarmSubscriptionFindings(subscription awssns.Subscription) {
	suppress(subscription.Node().DefaultChild(), nagSubscriptionRedrive,
		"The subscription delivers alarm notifications by e-mail; one that cannot be delivered "+
			"loses no data, as the alarm's state and history stay in CloudWatch and on the "+
			"dashboard, and a queue kept for undelivered e-mails would have no reader.")
}

// suppress records that resource is exempt from rule for reason; with appliesTo, only for
// those findings of a granular rule such as IAM5.
func suppress(resource constructs.IConstruct, rule, reason string, appliesTo ...string) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(rule), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		findings := make([]any, len(appliesTo))
		for i, a := range appliesTo {
			findings[i] = a
		}
		s.AppliesTo = &findings
	}
	cdknag.NagSuppressions_AddResourceSuppressions(resource, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(false))
}

// nagResource names a policy resource the way an IAM5 finding does, e.g.
// "Resource::<Bucket83908E77.Arn>/*", so a suppression applies to that resource alone.
func nagResource(scope constructs.IConstruct, arn *string) string {
	return "Resource::" + flattenReference(awscdk.Stack_Of(scope).Resolve(arn))
}

// flattenReference renders a resolved CloudFormation value as cdk-nag does in finding names:
// references become <LogicalId> or <LogicalId.Attribute>, joins are concatenated. cdk-nag keeps
// this function private, so the few cases it handles are repeated here.
func flattenReference(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.NewReplacer("${", "<", "}", ">").Replace(v)
	case *string:
		return flattenReference(*v)
	case map[string]any:
		if join, ok := v["Fn::Join"].([]any); ok && len(join) == 2 {
			items, isList := join[1].([]any)
			if !isList {
				break
			}
			parts := make([]string, len(items))
			for i, item := range items {
				parts[i] = flattenReference(item)
			}
			return strings.Join(parts, flattenReference(join[0]))
		}
		if sub, ok := v["Fn::Sub"]; ok {
			return flattenReference(sub)
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(att) == 2 {
			return "<" + flattenReference(att[0]) + "." + flattenReference(att[1]) + ">"
		}
		if imp, ok := v["Fn::ImportValue"]; ok {
			return flattenReference(imp)
		}
		if ref, ok := v["Ref"]; ok {
			return "<" + flattenReference(ref) + ">"
		}
	}
	// cdk-nag falls back to the JSON text; a value that cannot be encoded matches no finding.
	text, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(text)
}
