package batchjob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Uploader is what uploading a manifest asks of S3.
type Uploader interface {
	PutObject(ctx context.Context, params *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	CreateMultipartUpload(ctx context.Context, params *s3.CreateMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error)
	UploadPart(ctx context.Context, params *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error)
	CompleteMultipartUpload(ctx context.Context, params *s3.CompleteMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error)
	AbortMultipartUpload(ctx context.Context, params *s3.AbortMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error)
}

var _ Uploader = (*s3.Client)(nil)

// DefaultPartSize is the part size of a manifest uploaded in parts. A manifest of 100
// million keys is about 5 GB, S3's limit for one PutObject; parts of 100 MB keep
// every manifest far from both that limit and the 10,000 parts one upload may have.
const DefaultPartSize = 100 << 20

// Upload writes the manifest of size bytes read from r to bucket/key and returns its
// ETag, unquoted, as a job names it. A manifest up to partSize bytes is one PutObject;
// a larger one is a multipart upload of partSize parts, aborted if a part fails, so no
// half manifest is left behind. The AWS SDK's own upload manager is deprecated, and its
// successor is not at 1.0: these three calls are all a manifest needs.
func Upload(ctx context.Context, client Uploader, bucket, key string, r io.ReaderAt, size, partSize int64) (string, error) {
	if partSize <= 0 {
		partSize = DefaultPartSize
	}
	where := fmt.Sprintf("upload the manifest s3://%s/%s", bucket, key)
	if size <= partSize {
		out, err := client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String(key), Body: io.NewSectionReader(r, 0, size),
			ContentLength: aws.Int64(size), ContentType: aws.String("text/csv"),
		})
		if err != nil {
			return "", fmt.Errorf("%s: %w", where, err)
		}
		return strings.Trim(aws.ToString(out.ETag), `"`), nil
	}
	created, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String(key), ContentType: aws.String("text/csv"),
	})
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	abort := func(cause error) (string, error) {
		_, abortErr := client.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{
			Bucket: aws.String(bucket), Key: aws.String(key), UploadId: created.UploadId,
		})
		return "", fmt.Errorf("%s: %w", where, errors.Join(cause, abortErr))
	}
	var parts []types.CompletedPart
	for offset, number := int64(0), int32(1); offset < size; offset, number = offset+partSize, number+1 {
		n := min(partSize, size-offset)
		out, err := client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String(bucket), Key: aws.String(key), UploadId: created.UploadId, PartNumber: aws.Int32(number),
			Body: io.NewSectionReader(r, offset, n), ContentLength: aws.Int64(n),
		})
		if err != nil {
			return abort(fmt.Errorf("part %d: %w", number, err))
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(number)})
	}
	done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: created.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return abort(err)
	}
	return strings.Trim(aws.ToString(done.ETag), `"`), nil
}
