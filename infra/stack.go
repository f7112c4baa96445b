package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ThumbnailsStackProps configure a ThumbnailsStack.
type ThumbnailsStackProps struct {
	// StackProps are passed to the stack; a nil Description gets one that names the product.
	// Default: an environment-agnostic stack, deployable to any account and region.
	awscdk.StackProps
	// Settings are the deployment choices. Default: DefaultSettings().
	Settings *Settings
	// FunctionDir is the function's Go module. Default: FindFunctionDir().
	FunctionDir string
}

// NewThumbnailsStack creates the whole product: the images bucket (or an existing one), the
// thumbnail function with its trigger, its alarms and dashboard, and outputs naming what a
// user needs to operate it.
// Nil props mean the defaults.
func NewThumbnailsStack(scope constructs.Construct, id string, props *ThumbnailsStackProps) awscdk.Stack {
	var p ThumbnailsStackProps
	if props != nil {
		p = *props
	}
	if p.Settings == nil {
		s := DefaultSettings()
		p.Settings = &s
	}
	s := p.Settings
	if p.Description == nil {
		p.Description = jsii.String("Serverless thumbnails: images dropped into an S3 bucket get thumbnails under " +
			s.Function.OutputPrefix + " from an arm64 Go Lambda function.")
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &p.StackProps)

	var bucket awss3.IBucket
	if s.BucketName != "" {
		bucket = awss3.Bucket_FromBucketName(stack, jsii.String("Bucket"), jsii.String(s.BucketName))
		if s.BucketKey != nil {
			requireRegion(stack, s.BucketKey.Region, "the KMS key of bucket "+s.BucketName+" is in "+s.BucketKey.Region+
				", and so is the bucket: S3 sends its events to EventBridge in the bucket's own region only")
		}
	} else {
		created := newImagesBucket(stack, "Bucket", s.Destroy)
		suppressBucketFindings(created)
		bucket = created
	}

	logRemoval := awscdk.RemovalPolicy_RETAIN
	if s.Destroy {
		logRemoval = awscdk.RemovalPolicy_DESTROY
	}
	fnProps := &ThumbnailFunctionProps{
		Bucket:           bucket,
		BucketKey:        s.BucketKey,
		Config:           &s.Function,
		SourceDir:        p.FunctionDir,
		LogRemovalPolicy: logRemoval,
	}
	fnProps.MemorySize = jsii.Number(float64(s.MemoryMB))
	fnProps.Timeout = seconds(s.Timeout)
	if s.ReservedConcurrency > 0 {
		fnProps.ReservedConcurrentExecutions = jsii.Number(float64(s.ReservedConcurrency))
	}
	thumbnails := NewThumbnailFunction(stack, "Thumbnailer", fnProps)
	batchRole := NewBatchOperationsRole(stack, "BatchOperationsRole", &BatchOperationsRoleProps{Bucket: bucket, Function: thumbnails.Function})
	monitoring := NewMonitoring(stack, "Monitoring", &MonitoringProps{Function: thumbnails, AlarmEmail: s.AlarmEmail})

	output(stack, "BucketName", bucket.BucketName(), "Bucket to drop images into; thumbnails appear under "+s.Function.OutputPrefix)
	output(stack, "FunctionName", thumbnails.Function.FunctionName(), "Lambda function that makes the thumbnails")
	output(stack, "FailureQueueUrl", thumbnails.FailureQueue.QueueUrl(), "Invocations that failed after all retries")
	output(stack, "DeadLetterQueueUrl", thumbnails.DeadLetterQueue.QueueUrl(), "Events EventBridge could not hand to the function")
	output(stack, "BatchRoleArn", batchRole.RoleArn(), "Role for S3 Batch Operations backfill jobs: make backfill ARGS=\"... -batch -role-arn ARN\"")
	output(stack, "DashboardName", monitoring.Dashboard.DashboardName(), "CloudWatch dashboard of the function, its queues and its metrics")
	if monitoring.Topic != nil {
		output(stack, "AlarmTopicArn", monitoring.Topic.TopicArn(), "SNS topic the alarms notify; "+s.AlarmEmail+" must confirm its subscription")
	}
	return stack
}

// requireRegion makes CloudFormation refuse to deploy the stack outside region, saying why.
func requireRegion(stack awscdk.Stack, region, why string) {
	awscdk.NewCfnRule(stack, jsii.String("DeployInTheBucketsRegion"), &awscdk.CfnRuleProps{
		Assertions: &[]*awscdk.CfnRuleAssertion{{
			Assert:            awscdk.Fn_ConditionEquals(awscdk.Aws_REGION(), jsii.String(region)),
			AssertDescription: jsii.String("Deploy this stack in " + region + ": " + why + "."),
		}},
	})
}

// output adds a stack output.
func output(stack awscdk.Stack, id string, value *string, description string) {
	awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{
		Value:       value,
		Description: jsii.String(description),
	})
}
