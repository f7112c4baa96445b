package handler

import (
	"context"
	"fmt"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// NewS3Client builds the function's one S3 client from the default AWS
// configuration chain (region and credentials from the Lambda environment).
// The SDK itself honours AWS_ENDPOINT_URL_S3 (and AWS_ENDPOINT_URL), which the
// local cloud uses to point the client at its own endpoint; pathStyle must then
// be true, because a local endpoint serves buckets by path, not by host name.
func NewS3Client(ctx context.Context, pathStyle bool) (*s3.Client, error) {
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.UsePathStyle = pathStyle
		// Objects uploaded without a checksum are normal here; the SDK would
		// otherwise print a plain-text line among the JSON logs for each one.
		o.DisableLogOutputChecksumValidationSkipped = true
	}), nil
}
