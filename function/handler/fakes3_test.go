package handler

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// fakeS3 is an in-memory bucket store implementing S3API, with errors (or
// panics) injectable per operation and key. Its errors are wrapped the way the
// SDK wraps real ones: operation error > HTTP response error > API error.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string]*fakeObject // "bucket/key"
	faults  map[string]fault       // "Op bucket/key"
	calls   []string               // "Op bucket/key", in order
	writes  []string               // keys put or deleted, in order
}

type fakeObject struct {
	body         []byte
	etag         string // quoted, as S3 sends it
	contentType  string
	cacheControl string
	metadata     map[string]string
	versionID    string
}

// fault is what an injected failure does: return err, or panic when panicValue is set.
type fault struct {
	err        error
	panicValue any
}

var _ S3API = (*fakeS3)(nil)

func newFakeS3() *fakeS3 {
	return &fakeS3{objects: map[string]*fakeObject{}, faults: map[string]fault{}}
}

// add stores an original as a user upload would.
func (f *fakeS3) add(bucket, key string, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects[bucket+"/"+key] = &fakeObject{body: body, etag: etagOf(body), contentType: "application/octet-stream"}
}

// get returns a stored object, or nil.
func (f *fakeS3) get(bucket, key string) *fakeObject {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.objects[bucket+"/"+key]
}

// failOn makes op on bucket/key fail with err.
func (f *fakeS3) failOn(op, bucket, key string, err error) {
	f.faults[op+" "+bucket+"/"+key] = fault{err: err}
}

// panicOn makes op on bucket/key panic.
func (f *fakeS3) panicOn(op, bucket, key string) {
	f.faults[op+" "+bucket+"/"+key] = fault{panicValue: "injected panic in " + op}
}

func (f *fakeS3) enter(op, bucket, key string) error {
	f.mu.Lock()
	f.calls = append(f.calls, op+" "+bucket+"/"+key)
	ft, ok := f.faults[op+" "+bucket+"/"+key]
	f.mu.Unlock()
	if !ok {
		return nil
	}
	if ft.panicValue != nil {
		panic(ft.panicValue)
	}
	return opError(op, ft.err)
}

func (f *fakeS3) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, op+" ") {
			n++
		}
	}
	return n
}

func (f *fakeS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	bucket, key := aws.ToString(in.Bucket), aws.ToString(in.Key)
	if err := f.enter("GetObject", bucket, key); err != nil {
		return nil, err
	}
	o := f.get(bucket, key)
	if o == nil {
		return nil, opError("GetObject", errNoSuchKey())
	}
	out := &s3.GetObjectOutput{
		Body:          io.NopCloser(bytes.NewReader(o.body)),
		ContentLength: aws.Int64(int64(len(o.body))),
		ContentType:   aws.String(o.contentType),
		ETag:          aws.String(o.etag),
		Metadata:      maps.Clone(o.metadata),
	}
	if o.versionID != "" {
		out.VersionId = aws.String(o.versionID)
	}
	return out, nil
}

func (f *fakeS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	bucket, key := aws.ToString(in.Bucket), aws.ToString(in.Key)
	if err := f.enter("HeadObject", bucket, key); err != nil {
		return nil, err
	}
	o := f.get(bucket, key)
	if o == nil {
		return nil, opError("HeadObject", errNotFound())
	}
	return &s3.HeadObjectOutput{
		ContentLength: aws.Int64(int64(len(o.body))),
		ContentType:   aws.String(o.contentType),
		ETag:          aws.String(o.etag),
		Metadata:      maps.Clone(o.metadata),
	}, nil
}

func (f *fakeS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	bucket, key := aws.ToString(in.Bucket), aws.ToString(in.Key)
	if err := f.enter("PutObject", bucket, key); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, opError("PutObject", err)
	}
	if in.ContentLength != nil && *in.ContentLength != int64(len(body)) {
		return nil, opError("PutObject", fmt.Errorf("content length %d, body %d bytes", *in.ContentLength, len(body)))
	}
	o := &fakeObject{
		body:         body,
		etag:         etagOf(body),
		contentType:  aws.ToString(in.ContentType),
		cacheControl: aws.ToString(in.CacheControl),
		metadata:     maps.Clone(in.Metadata),
	}
	f.mu.Lock()
	f.objects[bucket+"/"+key] = o
	f.writes = append(f.writes, key)
	f.mu.Unlock()
	return &s3.PutObjectOutput{ETag: aws.String(o.etag)}, nil
}

func (f *fakeS3) DeleteObject(_ context.Context, in *s3.DeleteObjectInput, _ ...func(*s3.Options)) (*s3.DeleteObjectOutput, error) {
	bucket, key := aws.ToString(in.Bucket), aws.ToString(in.Key)
	if err := f.enter("DeleteObject", bucket, key); err != nil {
		return nil, err
	}
	f.mu.Lock()
	delete(f.objects, bucket+"/"+key)
	f.writes = append(f.writes, key)
	f.mu.Unlock()
	return &s3.DeleteObjectOutput{}, nil
}

// etagOf is S3's ETag of a single-part upload: the quoted hex MD5 of the body.
func etagOf(body []byte) string {
	sum := md5.Sum(body)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// opError wraps err as the SDK does a failed call, keeping an HTTP status for API errors.
func opError(op string, err error) error {
	status := 0
	switch e := err.(type) {
	case *types.NoSuchKey, *types.NotFound:
		status = http.StatusNotFound
	case *smithy.GenericAPIError:
		status = statusOfCode[e.Code]
	}
	if status != 0 {
		err = &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
				Err:      err,
			},
			RequestID: "FAKE0REQUEST0ID",
		}
	}
	return &smithy.OperationError{ServiceID: "S3", OperationName: op, Err: err}
}

// statusOfCode is the HTTP status S3 sends with each error code used in tests.
var statusOfCode = map[string]int{
	"SlowDown":           http.StatusServiceUnavailable,
	"ServiceUnavailable": http.StatusServiceUnavailable,
	"InternalError":      http.StatusInternalServerError,
	"AccessDenied":       http.StatusForbidden,
}

func errNoSuchKey() error {
	return &types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
}

func errNotFound() error { return &types.NotFound{Message: aws.String("Not Found")} }

func errSlowDown() error {
	return &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate.", Fault: smithy.FaultServer}
}

func errUnavailable() error {
	return &smithy.GenericAPIError{Code: "ServiceUnavailable", Message: "Service Unavailable", Fault: smithy.FaultServer}
}

func errAccessDenied() error {
	return &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied", Fault: smithy.FaultClient}
}
