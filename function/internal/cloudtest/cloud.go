// Package cloudtest runs, on one loopback URL, an in-process S3 API (gofakes3
// over memory) and a Lambda Invoke API that records every call, for tests of
// the backfill. The S3 side is a real S3 implementation driven through the AWS
// SDK; the Lambda side stands in for the Lambda service, not for the function:
// it answers as the service does to an asynchronous invoke (202, empty body)
// and keeps the payload for the test to read.
//
// It is for tests only (it takes a *testing.T), internal to the function
// module, and linked into no binary.
package cloudtest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Region is the region the clients of a Cloud are built for.
const Region = "us-east-1"

// clientTimeout bounds one HTTP exchange of the clients a Cloud builds.
const clientTimeout = 30 * time.Second

// Cloud is an S3 API and a Lambda Invoke API behind one loopback URL, as the
// local cloud serves them.
type Cloud struct {
	// URL is the endpoint of both APIs, e.g. http://127.0.0.1:38211.
	URL string
	// Lambda records the invocations and shapes the answers.
	Lambda *LambdaRecorder
	clock  gofakes3.TimeSourceAdvancer
}

// Options shape a Cloud.
type Options struct {
	// Lambda shapes the answers of the Invoke API.
	Lambda LambdaOptions
	// HeadDelay is how long S3 takes to answer a HEAD request, as a slow
	// network would; a request cancelled meanwhile is dropped. Default: none.
	HeadDelay time.Duration
	// HeadDelayOf, when set, gives the delay of a HEAD request from its
	// path ("/bucket/key") instead of HeadDelay, so that some objects are
	// slow to check whatever the machine's load. Default: nil.
	HeadDelayOf func(path string) time.Duration
}

// New starts a Cloud that lives until the test ends. The S3 side stamps objects
// with a clock that moves only when Advance is called, starting at the current
// second, so tests decide which object is newer.
func New(t testing.TB, opts Options) *Cloud {
	t.Helper()
	clock := gofakes3.FixedTimeSource(time.Now().UTC().Truncate(time.Second))
	fake := gofakes3.New(s3mem.New(s3mem.WithTimeSource(clock)))
	rec := newLambdaRecorder(opts.Lambda)
	mux := http.NewServeMux()
	mux.Handle(invokePattern, rec)
	delayOf := opts.HeadDelayOf
	if delayOf == nil && opts.HeadDelay > 0 {
		delayOf = func(string) time.Duration { return opts.HeadDelay }
	}
	mux.Handle("/", slowHeads(fake.Server(), delayOf))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &Cloud{URL: srv.URL, Lambda: rec, clock: clock}
}

// slowHeads delays every HEAD request by delay before next serves it.
func slowHeads(next http.Handler, delayOf func(path string) time.Duration) http.Handler {
	if delayOf == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := delayOf(r.URL.Path); r.Method == http.MethodHead && d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Advance moves the S3 clock: objects written afterwards are that much newer.
func (c *Cloud) Advance(d time.Duration) { c.clock.Advance(d) }

// S3 returns a path-style S3 client for the Cloud.
func (c *Cloud) S3() *s3.Client {
	return s3.New(s3.Options{
		Region:       Region,
		BaseEndpoint: aws.String(c.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   &http.Client{Timeout: clientTimeout},
	})
}

// LambdaClient returns a Lambda client for the Cloud.
func (c *Cloud) LambdaClient() *lambda.Client {
	return lambda.New(lambda.Options{
		Region:       Region,
		BaseEndpoint: aws.String(c.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   &http.Client{Timeout: clientTimeout},
	})
}

// Bucket creates a bucket, failing the test if S3 refuses.
func (c *Cloud) Bucket(t testing.TB, name string) {
	t.Helper()
	if _, err := c.S3().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

// Put writes an object with user metadata (nil for none) and returns its ETag
// as S3 reports it (quoted), failing the test if S3 refuses.
func (c *Cloud) Put(t testing.TB, bucket, key string, body []byte, metadata map[string]string) string {
	t.Helper()
	out, err := c.S3().PutObject(context.Background(), &s3.PutObjectInput{
		Bucket:   aws.String(bucket),
		Key:      aws.String(key),
		Body:     bytes.NewReader(body), // seekable: the SDK refuses unseekable bodies over plain HTTP
		Metadata: metadata,
	})
	if err != nil {
		t.Fatalf("put s3://%s/%s: %v", bucket, key, err)
	}
	return aws.ToString(out.ETag)
}
