package handler

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ObjectGetter reads an object: the source image.
type ObjectGetter interface {
	GetObject(ctx context.Context, params *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// ObjectHeader reads an object's headers: the thumbnail's source ETag, or whether an original still exists.
type ObjectHeader interface {
	HeadObject(ctx context.Context, params *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

// ObjectPutter writes an object: the thumbnail.
type ObjectPutter interface {
	PutObject(ctx context.Context, params *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// ObjectDeleter deletes an object: the thumbnail of a deleted original.
type ObjectDeleter interface {
	DeleteObject(ctx context.Context, params *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// S3API is everything the handler asks of S3, and nothing more.
type S3API interface {
	ObjectGetter
	ObjectHeader
	ObjectPutter
	ObjectDeleter
}

var (
	_ ObjectGetter  = (*s3.Client)(nil)
	_ ObjectHeader  = (*s3.Client)(nil)
	_ ObjectPutter  = (*s3.Client)(nil)
	_ ObjectDeleter = (*s3.Client)(nil)
	_ S3API         = (*s3.Client)(nil)
)
