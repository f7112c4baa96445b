package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// BatchOperationsRoleProps configure a BatchOperationsRole.
type BatchOperationsRoleProps struct {
	// Bucket holds the originals, the manifests and the reports. Required.
	Bucket awss3.IBucket
	// Function is the only function the jobs may invoke. Required.
	Function awslambda.IFunction
}

// NewBatchOperationsRole creates the role S3 Batch Operations assumes to run a backfill
// job: it may invoke the thumbnail function and nothing else, read the manifests under
// contract.JobManifestsPrefix and write the completion reports under contract.JobReportsPrefix. It
// reads no original and writes no thumbnail: the function does, with its own role. It
// panics, as CDK constructs do, when a required prop is missing.
func NewBatchOperationsRole(scope constructs.Construct, id string, props *BatchOperationsRoleProps) awsiam.Role {
	if props == nil || props.Bucket == nil || props.Function == nil {
		panic(fmt.Sprintf("BatchOperationsRole %q: props.Bucket and props.Function are required", id))
	}
	b := props.Bucket
	role := awsiam.NewRole(scope, jsii.String(id), &awsiam.RoleProps{
		Description: jsii.String("Assumed by S3 Batch Operations for thumbnail backfill jobs: invokes the thumbnail function, reads manifests, writes reports."),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("batchoperations.s3.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"BatchOperations": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &[]awsiam.PolicyStatement{
					// The unqualified ARN only: the jobs name the function so.
					statement("InvokeThumbnailFunction", []string{"lambda:InvokeFunction"}, props.Function.FunctionArn()),
					statement("ReadManifests", []string{"s3:GetObject", "s3:GetObjectVersion"},
						b.ArnForObjects(jsii.String(contract.JobManifestsPrefix+"*"))),
					statement("WriteReports", []string{"s3:PutObject"},
						b.ArnForObjects(jsii.String(contract.JobReportsPrefix+"*"))),
					// Batch Operations asks where the manifest's and the report's bucket is.
					statement("LocateBucket", []string{"s3:GetBucketLocation"}, b.BucketArn()),
				},
			}),
		},
	})
	suppressBatchRoleFindings(role, b)
	return role
}

// suppressBatchRoleFindings explains the two object wildcards of the role.
func suppressBatchRoleFindings(role awsiam.Role, bucket awss3.IBucket) {
	res := role.Node().DefaultChild()
	suppress(res, nagWildcard,
		"Each backfill job uploads a manifest of its own name under "+contract.JobManifestsPrefix+
			"; Batch Operations reads only the one its job names, and nothing else in the bucket.",
		nagResource(res, bucket.ArnForObjects(jsii.String(contract.JobManifestsPrefix+"*"))))
	suppress(res, nagWildcard,
		"Batch Operations names each completion report after its job ID, known only when the job "+
			"is created; the role writes nowhere but under "+contract.JobReportsPrefix+".",
		nagResource(res, bucket.ArnForObjects(jsii.String(contract.JobReportsPrefix+"*"))))
}
