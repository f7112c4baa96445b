package demo

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"path"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// partSize is S3's smallest multipart part (but the last).
const partSize = 5 << 20

// multipartFrom is the size from which a sample goes up in parts, as the AWS CLI sends
// large files: the function then sees a CompleteMultipartUpload event.
const multipartFrom = 1 << 20

// Upload puts a sample into the bucket with the Content-Type of its extension, in parts
// when it is large.
func Upload(ctx context.Context, c *s3.Client, bucket string, s Sample) error {
	ctype := mime.TypeByExtension(path.Ext(s.Key))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if len(s.Data) < multipartFrom {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(s.Key),
			Body: bytes.NewReader(s.Data), ContentType: aws.String(ctype)})
		if err != nil {
			return fmt.Errorf("upload %s: %w", s.Key, err)
		}
		return nil
	}
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(s.Key), ContentType: aws.String(ctype)})
	if err != nil {
		return fmt.Errorf("upload %s: %w", s.Key, err)
	}
	var parts []types.CompletedPart
	for n, off := int32(1), 0; off < len(s.Data); n, off = n+1, off+partSize {
		end := min(off+partSize, len(s.Data))
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(s.Key), UploadId: up.UploadId,
			PartNumber: aws.Int32(n), Body: bytes.NewReader(s.Data[off:end])})
		if err != nil {
			return fmt.Errorf("upload %s part %d: %w", s.Key, n, err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n)})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(s.Key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		return fmt.Errorf("upload %s: %w", s.Key, err)
	}
	return nil
}
