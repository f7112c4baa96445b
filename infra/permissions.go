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
	// bucketKey encrypts the bucket's objects; nil when S3 manages the keys.
	bucketKey    *KMSKeyARN
	logGroup     awslogs.LogGroup
	failureQueue awssqs.IQueue
}

// policy is everything the function may do, statement by statement. No AWS managed policy is
// attached: AWSLambdaBasicExecutionRole would let it write to every log group in the account.
func (g functionGrants) policy() awsiam.PolicyDocument {
	doc := awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
		Statements: &[]awsiam.PolicyStatement{
			// HeadObject is authorised by s3:GetObject too.
			statement("ReadImages", []string{"s3:GetObject"},
				g.bucket.ArnForObjects(jsii.String("*"))),
			// The function never lists the bucket, but S3 answers a GetObject or HeadObject
			// of a missing key with 403 Access Denied, not 404 Not Found, unless the caller
			// holds s3:ListBucket on the bucket: otherwise the answer would reveal what the
			// caller may not list. The handler needs that 404 to tell "the original is gone"
			// (skip it, delete its orphaned thumbnail) from a failure worth retrying. S3
			// documents the 404 for a plain grant only; an s3:prefix condition has nothing
			// to match in a GET or HEAD, which carries no prefix parameter, so scoping the
			// grant that way would risk the 403 again. Listing is a bucket action: the
			// resource is the bucket, not its objects.
			statement("TellMissingObjectsApart", []string{"s3:ListBucket"},
				g.bucket.BucketArn()),
			statement("WriteThumbnails", []string{"s3:PutObject"},
				g.bucket.ArnForObjects(jsii.String(g.outputPrefix+"*"))),
			// The thumbnail of a deleted original goes with it. Only thumbnails may be
			// deleted: never an original, whatever event arrives.
			statement("DeleteThumbnails", []string{"s3:DeleteObject"},
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
	if g.bucketKey != nil {
		doc.AddStatements(bucketKeyStatement(*g.bucketKey))
	}
	return doc
}

// bucketKeyStatement lets the function use key for what S3 does with it on the function's
// behalf, and nothing else: kms:Decrypt to read an original (and to complete a multipart
// upload), kms:GenerateDataKey to encrypt a thumbnail it writes. The kms:ViaService
// condition admits these calls only when S3 in the key's region makes them, so the role
// cannot use the key directly.
func bucketKeyStatement(key KMSKeyARN) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("UseBucketKeyThroughS3"),
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
		Resources: jsii.Strings(key.ARN),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"kms:ViaService": key.S3Endpoint()},
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
		Description: jsii.String("Runs the thumbnail function: reads images, writes and deletes thumbnails, logs, traces, reports failures."),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"Thumbnails": g.policy(),
		},
	})
}
