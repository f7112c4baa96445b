package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// incompleteUploadLifetime is how long parts of an unfinished multipart upload are kept (and
// billed) before S3 removes them.
var incompleteUploadLifetime = awscdk.Duration_Days(jsii.Number(7))

// newImagesBucket creates the private bucket that receives images and thumbnails. It sends its
// events to EventBridge, which unlike S3 notifications can leave out the output prefix. With
// destroy it is deleted, objects included, with the stack; otherwise the stack leaves it behind.
func newImagesBucket(scope constructs.Construct, id string, destroy bool) awss3.Bucket {
	removal := awscdk.RemovalPolicy_RETAIN
	if destroy {
		removal = awscdk.RemovalPolicy_DESTROY
	}
	bucket := awss3.NewBucket(scope, jsii.String(id), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		MinimumTLSVersion: jsii.Number(1.2),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("AbortIncompleteMultipartUploads"),
			AbortIncompleteMultipartUploadAfter: incompleteUploadLifetime,
		}},
		RemovalPolicy:     removal,
		AutoDeleteObjects: jsii.Bool(destroy),
	})
	// BucketProps.EventBridgeEnabled would do this through a custom resource with its own Lambda
	// function and a role allowed to rewrite any bucket's notifications; the CloudFormation
	// property does it natively.
	cfn := bucket.Node().DefaultChild().(awss3.CfnBucket)
	cfn.SetNotificationConfiguration(&awss3.CfnBucket_NotificationConfigurationProperty{
		EventBridgeConfiguration: &awss3.CfnBucket_EventBridgeConfigurationProperty{
			EventBridgeEnabled: jsii.Bool(true),
		},
	})
	return bucket
}
