// End-to-end tests: the real function, built for this machine, under the Lambda runtime
// emulator, triggered through the rule of the synthesized template by objects written
// through the S3 API with the AWS SDK. Each test runs its own local cloud on free
// loopback ports with its own state.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	_ "golang.org/x/image/webp"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// What TestMain prepares for every test.
var (
	root     string
	template string
	bins     localcloud.Binaries
)

// waitLimit bounds every wait for the function.
const waitLimit = 2 * time.Minute

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		code = 1
	}
	os.Exit(code)
}

// run synthesizes the template when it is missing or stale, builds the function for this
// machine and the runtime emulator, then runs the tests.
func run(m *testing.M) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var err error
	if root, err = toolchain.RepoRoot("."); err != nil {
		return 1, err
	}
	if template, err = toolchain.EnsureTemplate(ctx, root, os.Stderr); err != nil {
		return 1, fmt.Errorf("%w (run make setup first: synthesizing needs the CDK CLI in .tools/)", err)
	}
	binDir, err := os.MkdirTemp("", "e2e-bin")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(binDir)
	if bins, err = localcloud.Build(ctx, root, binDir, io.Discard); err != nil {
		return 1, err
	}
	return m.Run(), nil
}

// env is a local cloud for one test.
type env struct {
	t      *testing.T
	cloud  *localcloud.Cloud
	client *s3.Client
	prefix string // the function's output prefix
	logs   *lines
}

type cloudOptions struct {
	template string
	keys     s3events.KeyEncoding
	// versioned runs the S3 API on the in-memory backend that has bucket versioning.
	versioned bool
}

func start(t *testing.T, o cloudOptions) *env {
	t.Helper()
	if o.template == "" {
		o.template = template
	}
	logs := &lines{}
	cloud, err := localcloud.Start(localcloud.Config{
		Template: o.template, Bootstrap: bins.Bootstrap, RIE: bins.RIE, Addr: "127.0.0.1:0", StateDir: t.TempDir(),
		KeyEncoding: o.keys, RetryDelay: 50 * time.Millisecond, OnLog: logs.add, Versioning: o.versioned,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cloud.Close(ctx); err != nil {
			t.Errorf("closing the local cloud: %v", err)
		}
		if t.Failed() {
			t.Logf("local cloud output:\n%s", strings.Join(logs.all(), "\n"))
		}
	})
	prefix := cloud.Stack().Function.Environment[contract.EnvOutputPrefix]
	if prefix == "" {
		t.Fatalf("the template gives the function no %s", contract.EnvOutputPrefix)
	}
	return &env{t: t, cloud: cloud, client: s3client.New(cloud.URL()), prefix: prefix, logs: logs}
}

func (e *env) put(key string, data []byte, contentType string) {
	e.t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key), Body: bytes.NewReader(data)}
	if contentType != "" {
		in.ContentType = aws.String(contentType)
	}
	if _, err := e.client.PutObject(context.Background(), in); err != nil {
		e.t.Fatalf("put %s: %v", key, err)
	}
}

func (e *env) delete(key string) {
	e.t.Helper()
	if _, err := e.client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key)}); err != nil {
		e.t.Fatalf("delete %s: %v", key, err)
	}
}

// object is an object read back through the S3 API.
type object struct {
	data         []byte
	contentType  string
	cacheControl string
	etag         string
	lastModified time.Time
}

// get reads key; ok is false when it does not exist.
func (e *env) get(key string) (object, bool) {
	e.t.Helper()
	out, err := e.client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(key)})
	var missing *types.NoSuchKey
	if errors.As(err, &missing) {
		return object{}, false
	}
	if err != nil {
		e.t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		e.t.Fatalf("get %s: %v", key, err)
	}
	return object{data: data, contentType: aws.ToString(out.ContentType), cacheControl: aws.ToString(out.CacheControl),
		etag: aws.ToString(out.ETag), lastModified: aws.ToTime(out.LastModified)}, true
}

// wait waits until the function has handled every event.
func (e *env) wait() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := e.cloud.WaitIdle(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// thumbnail reads the thumbnail of key and checks it is a 128x128 image whose
// Content-Type names its format. It returns the decoded image and its format.
func (e *env) thumbnail(key string) (image.Image, string) {
	e.t.Helper()
	obj, ok := e.get(e.prefix + key)
	if !ok {
		e.t.Fatalf("no thumbnail %s%s", e.prefix, key)
	}
	img, format, err := image.Decode(bytes.NewReader(obj.data))
	if err != nil {
		e.t.Fatalf("thumbnail of %s: %v", key, err)
	}
	if b := img.Bounds(); b.Dx() != 128 || b.Dy() != 128 {
		e.t.Errorf("thumbnail of %s is %dx%d, want 128x128", key, b.Dx(), b.Dy())
	}
	if want := "image/" + format; obj.contentType != want {
		e.t.Errorf("thumbnail of %s: Content-Type %q, want %q", key, obj.contentType, want)
	}
	return img, format
}

// lines collects the local cloud's output.
type lines struct {
	mu    sync.Mutex
	items []string
}

func (l *lines) add(s string) { l.mu.Lock(); l.items = append(l.items, s); l.mu.Unlock() }

func (l *lines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.items...)
}

// logFields are the fields of the function's JSON log lines the tests look at.
type logFields struct {
	Level  string `json:"level"`
	Msg    string `json:"msg"`
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// about returns the function's JSON log lines about key.
func (l *lines) about(key string) []logFields {
	var out []logFields
	for _, line := range l.all() {
		var f logFields
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &f) == nil && f.Key == key {
			out = append(out, f)
		}
	}
	return out
}

// readFile reads a test input.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// samplePath is a file of the demo samples.
func samplePath(name string) string {
	return filepath.Join(root, toolchain.TestModuleDir, "testdata", "demo", filepath.FromSlash(name))
}
