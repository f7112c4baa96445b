package backfill

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

// S3API is what the backfill asks of S3: the listing, and a thumbnail's
// headers. It never reads an original's bytes and never writes.
type S3API interface {
	s3.ListObjectsV2APIClient
	handler.ObjectHeader
}

// Invoker is what the backfill asks of Lambda: one call, Invoke.
type Invoker interface {
	Invoke(ctx context.Context, params *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

var (
	_ S3API   = (*s3.Client)(nil)
	_ Invoker = (*lambda.Client)(nil)
)
