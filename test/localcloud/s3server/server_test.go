package s3server

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
)

const bucket = "images"

// recorded collects the changes a server reports.
type recorded struct {
	mu      sync.Mutex
	changes []Change
	errs    []error
}

func (r *recorded) add(c Change) { r.mu.Lock(); r.changes = append(r.changes, c); r.mu.Unlock() }
func (r *recorded) fail(e error) { r.mu.Lock(); r.errs = append(r.errs, e); r.mu.Unlock() }

// take returns the changes recorded since the last call.
func (r *recorded) take() []Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.changes
	r.changes = nil
	return out
}

func start(t *testing.T, dir string) (*Server, *recorded) {
	t.Helper()
	return startWith(t, Config{Dir: dir})
}

// startWith starts a server on a free loopback port for bucket with cfg's other
// settings, recording its changes and errors, and closes it when the test ends.
func startWith(t *testing.T, cfg Config) (*Server, *recorded) {
	t.Helper()
	rec := &recorded{}
	cfg.Addr, cfg.Buckets, cfg.OnChange, cfg.OnError = "127.0.0.1:0", []string{bucket}, rec.add, rec.fail
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, rec
}

func etag(data string) string {
	sum := md5.Sum([]byte(data))
	return hex.EncodeToString(sum[:])
}

func put(ctx context.Context, c *s3.Client, key, body string) error {
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	return err
}

// summary keeps the fields of a change that a test can predict.
type summary struct {
	Created            bool
	Reason, Key        string
	Size               int64
	ETag, DeletionType string
}

func summarize(cs []Change) []summary {
	var out []summary
	for _, c := range cs {
		if c.Bucket != bucket || c.RequestID == "" || c.SourceIP != "127.0.0.1" || c.Time.IsZero() {
			out = append(out, summary{Reason: "malformed change", Key: c.Key})
			continue
		}
		out = append(out, summary{c.Created, c.Reason, c.Key, c.Size, c.ETag, c.DeletionType})
	}
	return out
}

func TestChanges(t *testing.T) {
	s, rec := start(t, t.TempDir())
	c := s3client.New(s.URL())
	ctx := context.Background()
	bigPart := strings.Repeat("a", 5<<20)

	tests := []struct {
		name string
		do   func() error
		want []summary
	}{
		{"put", func() error { return put(ctx, c, "photo.jpg", "hello") },
			[]summary{{true, ReasonPut, "photo.jpg", 5, etag("hello"), ""}}},
		{"put key with space and plus", func() error { return put(ctx, c, "my photos/red flower+bee.jpg", "bee") },
			[]summary{{true, ReasonPut, "my photos/red flower+bee.jpg", 3, etag("bee"), ""}}},
		{"put key with percent and unicode", func() error { return put(ctx, c, "100%/日本 ü.png", "x") },
			[]summary{{true, ReasonPut, "100%/日本 ü.png", 1, etag("x"), ""}}},
		{"overwrite", func() error { return put(ctx, c, "photo.jpg", "hello again") },
			[]summary{{true, ReasonPut, "photo.jpg", 11, etag("hello again"), ""}}},
		{"copy", func() error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.jpg"), CopySource: aws.String(bucket + "/photo.jpg")})
			return err
		}, []summary{{true, ReasonCopy, "copy.jpg", 11, etag("hello again"), ""}}},
		{"multipart", func() error { return multipartUpload(ctx, c, "big.bin", bigPart, "tail") },
			[]summary{{true, ReasonCompleteUpload, "big.bin", int64(len(bigPart) + 4), etag(bigPart + "tail"), ""}}},
		{"browser form upload", func() error { return formUpload(s.URL(), "form.txt", "posted") },
			[]summary{{true, ReasonPost, "form.txt", 6, etag("posted"), ""}}},
		{"delete", func() error {
			_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.jpg")})
			return err
		}, []summary{{false, ReasonDelete, "copy.jpg", 0, "", DeletionPermanent}}},
		{"delete many quietly", func() error {
			_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &types.Delete{
				Quiet:   aws.Bool(true),
				Objects: []types.ObjectIdentifier{{Key: aws.String("form.txt")}, {Key: aws.String("big.bin")}},
			}})
			return err
		}, []summary{{false, ReasonDelete, "form.txt", 0, "", DeletionPermanent}, {false, ReasonDelete, "big.bin", 0, "", DeletionPermanent}}},
		{"reads change nothing", func() error {
			if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("photo.jpg")}); err != nil {
				return err
			}
			if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("photo.jpg")}); err != nil {
				return err
			}
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
			return err
		}, nil},
		{"failed write changes nothing", func() error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("a"), Body: strings.NewReader("a")})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "NoSuchBucket" {
				return errors.New("want NoSuchBucket, got " + errString(err))
			}
			return nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.do(); err != nil {
				t.Fatal(err)
			}
			got := summarize(rec.take())
			if len(got) != len(tt.want) {
				t.Fatalf("changes = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("change %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
	if len(rec.errs) > 0 {
		t.Errorf("errors reported: %v", rec.errs)
	}
}

func TestObjectsPersistAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	first, _ := start(t, dir)
	c := s3client.New(first.URL())
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("kept.png"), Body: strings.NewReader("png bytes"), ContentType: aws.String("image/png")})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}

	second, _ := start(t, dir)
	out, err := s3client.New(second.URL()).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("kept.png")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "png bytes" || aws.ToString(out.ContentType) != "image/png" {
		t.Errorf("after restart: body %q, content type %q", body, aws.ToString(out.ContentType))
	}
}

func TestLargeObjectRoundTrips(t *testing.T) {
	s, rec := start(t, t.TempDir())
	c := s3client.New(s.URL())
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), 17<<20/16) // beyond BSON's usual 16 MiB document limit
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("large.bin"), Body: bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("large.bin")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("read %d bytes back, wrote %d", len(got), len(data))
	}
	if cs := rec.take(); len(cs) != 1 || cs[0].Size != int64(len(data)) {
		t.Errorf("changes = %+v", cs)
	}
}

func TestStartRejects(t *testing.T) {
	dir := t.TempDir()
	start(t, dir)
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"state in use", Config{Addr: "127.0.0.1:0", Dir: dir}, "another local cloud uses this folder"},
		{"all interfaces", Config{Addr: "0.0.0.0:0", Dir: t.TempDir()}, "only loopback addresses"},
		{"other host", Config{Addr: "192.0.2.1:4566", Dir: t.TempDir()}, "only loopback addresses"},
		{"no port", Config{Addr: "127.0.0.1", Dir: t.TempDir()}, "missing port"},
		{"bad bucket", Config{Addr: "127.0.0.1:0", Dir: t.TempDir(), Buckets: []string{"Bad_Bucket"}}, `bucket "Bad_Bucket"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.OnChange = func(Change) {}
			s, err := Start(tt.cfg)
			if err == nil {
				if cerr := s.Close(context.Background()); cerr != nil {
					t.Error(cerr)
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestInjectFault(t *testing.T) {
	s, _ := start(t, t.TempDir())
	c := s3client.New(s.URL())
	ctx := context.Background()
	for _, k := range []string{"sick.jpg", "well.jpg"} {
		if err := put(ctx, c, k, "data"); err != nil {
			t.Fatal(err)
		}
	}
	remove := s.InjectFault(Fault{Method: http.MethodGet, Bucket: bucket, Key: "sick.jpg", Status: http.StatusServiceUnavailable, Code: "SlowDown"})
	get := func(key string) error {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
			func(o *s3.Options) { o.RetryMaxAttempts = 1 })
		if err == nil {
			err = out.Body.Close()
		}
		return err
	}
	var apiErr smithy.APIError
	if err := get("sick.jpg"); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "SlowDown" {
		t.Errorf("GET with fault: %v, want SlowDown", err)
	}
	if err := get("well.jpg"); err != nil {
		t.Errorf("GET of another key: %v", err)
	}
	remove()
	if err := get("sick.jpg"); err != nil {
		t.Errorf("GET after the fault was removed: %v", err)
	}
}

func multipartUpload(ctx context.Context, c *s3.Client, key string, parts ...string) error {
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return err
	}
	var done []types.CompletedPart
	for i, p := range parts {
		n := aws.Int32(int32(i + 1))
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId, PartNumber: n, Body: strings.NewReader(p)})
		if err != nil {
			return err
		}
		done = append(done, types.CompletedPart{ETag: out.ETag, PartNumber: n})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
	return err
}

// formUpload posts an object the way a browser form does (POST Object), with a policy
// that allows it.
func formUpload(endpoint, key, body string) error {
	form := s3client.BrowserForm{Fields: [][2]string{{"key", key}}, Conditions: []any{map[string]string{"key": key}},
		Expiration: time.Now().Add(time.Hour), FileName: key, File: []byte(body)}
	contentType, data, err := form.Encode()
	if err != nil {
		return err
	}
	resp, err := http.Post(endpoint+"/"+bucket, contentType, bytes.NewReader(data))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(resp.Body)
		return errors.New("POST Object: " + resp.Status + " " + string(msg))
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

func TestObjectHeadersAreKept(t *testing.T) {
	s, _ := start(t, t.TempDir())
	c := s3client.New(s.URL())
	ctx := context.Background()
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("thumb.jpg"), Body: strings.NewReader("x"),
		ContentType: aws.String("image/jpeg"), CacheControl: aws.String("public, max-age=60"), ContentLanguage: aws.String("en"),
		ContentDisposition: aws.String("inline"), Expires: aws.Time(expires), Metadata: map[string]string{"source-etag": "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.jpg"), CopySource: aws.String(bucket + "/thumb.jpg")})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"thumb.jpg", "copy.jpg"} {
		out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		got := []string{aws.ToString(out.ContentType), aws.ToString(out.CacheControl), aws.ToString(out.ContentLanguage), aws.ToString(out.ContentDisposition), aws.ToString(out.ExpiresString)}
		want := []string{"image/jpeg", "public, max-age=60", "en", "inline", expires.Format(http.TimeFormat)}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: header %d = %q, want %q", key, i, got[i], want[i])
			}
		}
		if len(out.Metadata) != 1 || out.Metadata["source-etag"] != "abc" {
			t.Errorf("%s: user metadata %v", key, out.Metadata)
		}
	}
}
