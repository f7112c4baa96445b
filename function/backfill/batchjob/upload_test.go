package batchjob

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// TestUpload uploads manifests below and above the part size and reads them back: the
// same bytes, and the ETag S3's documented algorithm gives them (gofakes3 reads a
// multipart object back with the MD5 of its whole bytes instead, so the ETag Upload
// returns, from CompleteMultipartUpload, is the one checked).
func TestUpload(t *testing.T) {
	const partSize = 5 << 20 // S3's smallest part
	cloud := cloudtest.New(t, cloudtest.Options{})
	cloud.Bucket(t, "photos")
	for _, size := range []int{100, partSize, 2*partSize + 123} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			data := bytes.Repeat([]byte("photos,a%20key.jpg\n"), size/19+1)[:size]
			key := fmt.Sprintf("%sm-%d.csv", contract.JobManifestsPrefix, size)
			etag, err := Upload(context.Background(), cloud.S3(), "photos", key, bytes.NewReader(data), int64(len(data)), partSize)
			if err != nil {
				t.Fatal(err)
			}
			out, err := cloud.S3().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String(key)})
			if err != nil {
				t.Fatal(err)
			}
			defer out.Body.Close()
			got, err := io.ReadAll(out.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("read back %d bytes, uploaded %d", len(got), len(data))
			}
			if want := s3ETag(data, partSize); etag != want {
				t.Errorf("ETag %q for %d bytes, want %q", etag, size, want)
			}
		})
	}
}

// s3ETag is the ETag S3 gives data uploaded as Upload does: the hex MD5 of the bytes
// for one PutObject; for a multipart upload, the hex MD5 of the parts' binary MD5s
// followed by "-" and the number of parts.
func s3ETag(data []byte, partSize int) string {
	if len(data) <= partSize {
		sum := md5.Sum(data)
		return hex.EncodeToString(sum[:])
	}
	var sums []byte
	parts := 0
	for off := 0; off < len(data); off += partSize {
		sum := md5.Sum(data[off:min(off+partSize, len(data))])
		sums = append(sums, sum[:]...)
		parts++
	}
	sum := md5.Sum(sums)
	return fmt.Sprintf("%s-%d", hex.EncodeToString(sum[:]), parts)
}
