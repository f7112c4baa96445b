package backfill

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Object is one entry of a bucket listing.
type Object struct {
	Key string
	// ETag as listed, quoted.
	ETag string
	Size int64
	// LastModified as listed: to the second on S3, finer on some look-alikes.
	LastModified time.Time
}

// listPageSize is the most keys S3 returns for one ListObjectsV2 call.
const listPageSize = 1000

// List returns the objects of bucket whose keys start with prefix and sort
// after startAfter ("" for both means the whole bucket), in S3's order (UTF-8
// bytes). Pages are fetched as the caller reads, so a bucket of any size is
// listed in constant memory. After an error the sequence ends.
func List(ctx context.Context, client s3.ListObjectsV2APIClient, bucket, prefix, startAfter string) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{
			Bucket:     aws.String(bucket),
			Prefix:     optional(prefix),
			StartAfter: optional(startAfter),
			MaxKeys:    aws.Int32(listPageSize),
		})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				yield(Object{}, fmt.Errorf("list s3://%s/%s: %w", bucket, prefix, err))
				return
			}
			for _, o := range page.Contents {
				obj := Object{
					Key:          aws.ToString(o.Key),
					ETag:         aws.ToString(o.ETag),
					Size:         aws.ToInt64(o.Size),
					LastModified: aws.ToTime(o.LastModified),
				}
				if !yield(obj, nil) {
					return
				}
			}
		}
	}
}

// optional returns nil for "", so the request leaves the parameter out.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
