package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// oddKeys are keys S3 allows that an encoding slip would break: a space, '+', '%' (as
// an escape and alone), unicode, folders.
var oddKeys = []string{
	"plain.png",
	"with space.png",
	"plus+sign.png",
	"percent%20literal.png",
	"100%.png",
	"a+b c%2B.png",
	"ünïcödé/照片.png",
	"nested/deeper/still/photo.png",
}

// smallPNG is a 40x30 PNG whose colours depend on seed, so every seed gives other bytes.
func smallPNG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			img.Set(x, y, color.NRGBA{R: uint8(x * 6), G: uint8(y * 8), B: uint8(seed * 37), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lambdaClient is an SDK Lambda client for the local cloud's endpoint, built as the
// backfill builds its own for -endpoint.
func (e *env) lambdaClient() *lambda.Client {
	return lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.cloud.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		HTTPClient:   &http.Client{Timeout: time.Minute},
	})
}

// functionConfig is the function's configuration as the template sets it.
func (e *env) functionConfig() contract.Config {
	e.t.Helper()
	cfg, err := contract.FromEnv(func(name string) string { return e.cloud.Stack().Function.Environment[name] })
	if err != nil {
		e.t.Fatalf("the template's function environment: %v", err)
	}
	return cfg
}

// listed is what a listing says of one object.
type listed struct {
	etag         string
	size         int64
	lastModified time.Time
}

// list returns every object of the bucket by key.
func (e *env) list() map[string]listed {
	e.t.Helper()
	out := map[string]listed{}
	pages := s3.NewListObjectsV2Paginator(e.client, &s3.ListObjectsV2Input{Bucket: aws.String(e.cloud.Bucket())})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			e.t.Fatalf("list s3://%s: %v", e.cloud.Bucket(), err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = listed{etag: aws.ToString(o.ETag), size: aws.ToInt64(o.Size), lastModified: aws.ToTime(o.LastModified)}
		}
	}
	return out
}

// checkUpToDate fails the test unless every key has a 128x128 thumbnail whose
// metadata names the original's current ETag and the function's settings.
func (e *env) checkUpToDate(keys ...string) {
	e.t.Helper()
	spec := e.functionConfig().Thumbnail.Spec()
	objects := e.list()
	for _, key := range keys {
		original, ok := objects[key]
		if !ok {
			e.t.Errorf("original %q is missing", key)
			continue
		}
		e.thumbnail(key)
		head, err := e.client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(e.prefix + key)})
		if err != nil {
			e.t.Errorf("head the thumbnail of %q: %v", key, err)
			continue
		}
		if !contract.UpToDate(head.Metadata, original.etag, spec) {
			e.t.Errorf("thumbnail of %q not up to date: metadata %v, original ETag %s, settings %q", key, head.Metadata, original.etag, spec)
		}
	}
}

// invocationCounts says how many times the function ran for each key, in a stable text.
func (e *env) invocationCounts() string {
	var lines []string
	for _, key := range e.cloud.InvokedKeys() {
		lines = append(lines, fmt.Sprintf("%q=%d", key, len(e.cloud.Invocations(key))))
	}
	sort.Strings(lines)
	return strings.Join(lines, " ")
}

// totalInvocations is how many times the function ran in all.
func (e *env) totalInvocations() int {
	n := 0
	for _, key := range e.cloud.InvokedKeys() {
		n += len(e.cloud.Invocations(key))
	}
	return n
}
