package handler

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Environment the Lambda platform (or the local cloud) provides to every function.
const (
	envRegion          = "AWS_REGION"
	envAccessKeyID     = "AWS_ACCESS_KEY_ID"
	envSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	envSessionToken    = "AWS_SESSION_TOKEN"
	envEndpointS3      = "AWS_ENDPOINT_URL_S3"
	envEndpoint        = "AWS_ENDPOINT_URL"
)

// NewS3Client builds the function's one S3 client from the environment Lambda
// gives every function: AWS_REGION and the execution role's credentials in
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
//
// It reads them directly instead of through config.LoadDefaultConfig: the
// default chain links SSO, STS and instance-metadata providers that a Lambda
// never uses, 1.7 MB of the binary and of every cold start's page-ins.
// AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) points the client at another
// endpoint, as the local cloud does; pathStyle must then be true, because a
// local endpoint serves buckets by path, not by host name.
func NewS3Client(_ context.Context, pathStyle bool) (*s3.Client, error) {
	return newS3ClientFromEnv(os.Getenv, pathStyle)
}

func newS3ClientFromEnv(getenv func(string) string, pathStyle bool) (*s3.Client, error) {
	region := getenv(envRegion)
	if region == "" {
		return nil, fmt.Errorf("%s is not set", envRegion)
	}
	keyID, secret := getenv(envAccessKeyID), getenv(envSecretAccessKey)
	if keyID == "" || secret == "" {
		return nil, fmt.Errorf("%s and %s must be set (Lambda sets them from the execution role)", envAccessKeyID, envSecretAccessKey)
	}
	endpoint := getenv(envEndpointS3)
	if endpoint == "" {
		endpoint = getenv(envEndpoint)
	}
	creds := credentials.NewStaticCredentialsProvider(keyID, secret, getenv(envSessionToken))
	return s3.New(s3.Options{
		Region:       region,
		Credentials:  aws.NewCredentialsCache(creds),
		UsePathStyle: pathStyle,
		BaseEndpoint: optional(endpoint),
		// Objects uploaded without a checksum are normal here; the SDK would
		// otherwise print a plain-text line among the JSON logs for each one.
		DisableLogOutputChecksumValidationSkipped: true,
	}), nil
}

// optional returns nil for "" so the SDK keeps its own endpoint resolution.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
