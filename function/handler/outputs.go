package handler

import (
	"context"
	"fmt"
	"strings"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// outputWriter is what outputs needs of S3: the only write and delete calls the function makes.
type outputWriter interface {
	ObjectPutter
	ObjectDeleter
}

// outputs is the one door through which the function writes or deletes
// anything. Every key it is handed must lie strictly under the output prefix,
// so no bug elsewhere can overwrite or delete an original.
type outputs struct {
	prefix string
	format thumbnail.Format // the configured output format, "" for auto
	s3     outputWriter
}

// key returns the thumbnail key of a source key: "<prefix><source key>",
// whatever the thumbnail's format (see outputFormat).
func (o outputs) key(sourceKey string) string {
	return o.prefix + sourceKey
}

// MaxKeyBytes is the longest object key S3 accepts, in UTF-8 bytes.
const MaxKeyBytes = 1024

// check refuses a key outside the output prefix, the bare prefix itself, and a
// key S3 would reject as too long (an original near the limit has no room for
// the prefix). Both refusals are permanent: a retry would be refused the same way.
func (o outputs) check(bucket, key string) error {
	if o.prefix == "" || !strings.HasPrefix(key, o.prefix) || len(key) == len(o.prefix) {
		return permanent(RejectOutsidePrefix, fmt.Errorf("refusing to write s3://%s/%s: outside the output prefix %q", bucket, key, o.prefix))
	}
	if len(key) > MaxKeyBytes {
		return permanent(RejectKeyTooLong, fmt.Errorf("refusing to write s3://%s/%.40s...: key of %d bytes, S3 allows %d", bucket, key, len(key), MaxKeyBytes))
	}
	return nil
}

// put writes a thumbnail after checking its key.
func (o outputs) put(ctx context.Context, in *s3.PutObjectInput) error {
	if err := o.check(aws.ToString(in.Bucket), aws.ToString(in.Key)); err != nil {
		return err
	}
	if _, err := o.s3.PutObject(ctx, in); err != nil {
		return fmt.Errorf("put s3://%s/%s: %w", aws.ToString(in.Bucket), aws.ToString(in.Key), err)
	}
	return nil
}

// delete removes a thumbnail after checking its key. S3 reports success for a
// key that is already gone, so deleting twice is harmless.
func (o outputs) delete(ctx context.Context, bucket, key string) error {
	if err := o.check(bucket, key); err != nil {
		return err
	}
	if _, err := o.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("delete s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
