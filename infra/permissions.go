package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// functionGrants are the resources the function touches, and so the only ones it may use.
type functionGrants struct {
	bucket       awss3.IBucket
	outputPrefix string
	logGroup     awslogs.LogGroup
	failureQueue awssqs.IQueue
}

// policy is everything the function may do, statement by statement. No AWS managed policy is
// attached: AWSLambdaBasicExecutionRole would let it write to every log group in the account.
func (g functionGrants) policy() awsiam.PolicyDocument {
	return awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
		Statements: &[]awsiam.PolicyStatement{
			// HeadObject is authorised by s3:GetObject too; no listing is needed.
			statement("ReadImages", []string{"s3:GetObject"},
				g.bucket.ArnForObjects(jsii.String("*"))),
			statement("WriteThumbnails", []string{"s3:PutObject"},
				g.bucket.ArnForObjects(jsii.String(g.outputPrefix+"*"))),
			// The log group exists already, so no logs:CreateLogGroup.
			statement("WriteLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				g.logGroup.LogGroupArn()),
			// X-Ray defines no resource types for these actions: "*" is the only resource it accepts.
			statement("WriteTraces", []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"},
				jsii.String("*")),
			// Lambda sends the record of an event it gave up on with the function's own role.
			statement("ReportFailures", []string{"sqs:SendMessage"},
				g.failureQueue.QueueArn()),
		},
	})
}

// statement allows actions on one resource.
func statement(sid string, actions []string, resource *string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String(sid),
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(actions...),
		Resources: &[]*string{resource},
	})
}

// newFunctionRole creates the function's execution role with g.policy() inline. Hand the
// function role.WithoutPolicyUpdates(nil): constructs that grant themselves access (tracing, the
// on-failure destination) then cannot widen it, so g.policy() stays the whole of it.
func newFunctionRole(scope constructs.Construct, id string, g functionGrants) awsiam.Role {
	return awsiam.NewRole(scope, jsii.String(id), &awsiam.RoleProps{
		Description: jsii.String("Runs the thumbnail function: reads images, writes thumbnails, logs, traces, reports failures."),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"Thumbnails": g.policy(),
		},
	})
}
