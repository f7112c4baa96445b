package localcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/internal/testbin"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
)

// These tests run the cloud on the fixture template with the stand-in function, which
// echoes the event it gets and fails for keys containing "fail".
const fixture = "../testdata/template/Thumbnails.template.json"

func TestMain(m *testing.M) {
	code := m.Run()
	if err := testbin.Cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for the cloud's concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

func startCloud(t *testing.T, template string, keys s3events.KeyEncoding) (*Cloud, *s3.Client, *syncBuffer) {
	t.Helper()
	rie, standin := testbin.Standin(t)
	out := &syncBuffer{}
	c, err := Start(Config{Template: template, Bootstrap: standin, RIE: rie, Addr: "127.0.0.1:0", StateDir: t.TempDir(),
		KeyEncoding: keys, RetryDelay: 20 * time.Millisecond, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c, s3client.New(c.URL()), out
}

func waitIdle(t *testing.T, c *Cloud) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, c *Cloud, client *s3.Client, key string) {
	t.Helper()
	_, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(c.Bucket()), Key: aws.String(key), Body: strings.NewReader("data")})
	if err != nil {
		t.Fatal(err)
	}
}

// seenEvent is the part of the event the stand-in echoes back that the tests check.
type seenEvent struct {
	Event struct {
		DetailType string `json:"detail-type"`
		Detail     struct {
			Bucket struct{ Name string } `json:"bucket"`
			Object struct {
				Key  string `json:"key"`
				Size int64  `json:"size"`
			} `json:"object"`
			Reason string `json:"reason"`
		} `json:"detail"`
	} `json:"event"`
}

func echoed(t *testing.T, inv invoker.Invocation) seenEvent {
	t.Helper()
	var e seenEvent
	if err := json.Unmarshal(inv.Result.Payload, &e); err != nil {
		t.Fatalf("stand-in answer %s: %v", inv.Result.Payload, err)
	}
	return e
}

func TestRoutesObjectEventsThroughTheRule(t *testing.T) {
	tests := []struct {
		keys    s3events.KeyEncoding
		wantKey string
	}{
		{s3events.KeyURL, "my+photos/red+flower%2Bbee.jpg"},
		{s3events.KeyRaw, "my photos/red flower+bee.jpg"},
	}
	for _, tt := range tests {
		t.Run(string(tt.keys), func(t *testing.T) {
			c, client, out := startCloud(t, fixture, tt.keys)
			key := "my photos/red flower+bee.jpg"
			put(t, c, client, key)
			put(t, c, client, "resized/"+key)
			waitIdle(t, c)

			invs := c.Invocations(key)
			if len(invs) != 1 || invs[0].Result.Failed() {
				t.Fatalf("invocations for %q: %+v", key, invs)
			}
			e := echoed(t, invs[0])
			if e.Event.DetailType != "Object Created" || e.Event.Detail.Bucket.Name != "images" || e.Event.Detail.Object.Key != tt.wantKey ||
				e.Event.Detail.Object.Size != 4 || e.Event.Detail.Reason != "PutObject" {
				t.Errorf("the function got %+v", e.Event)
			}
			if c.Evaluated("resized/"+key) != 1 || c.Matched("resized/"+key) != 0 || len(c.Invocations("resized/"+key)) != 0 {
				t.Errorf("thumbnail key: evaluated %d, matched %d, invoked %d; want 1, 0, 0",
					c.Evaluated("resized/"+key), c.Matched("resized/"+key), len(c.Invocations("resized/"+key)))
			}
			if c.Writes(key) != 1 {
				t.Errorf("Writes = %d", c.Writes(key))
			}

			if _, err := client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(c.Bucket()), Key: aws.String(key)}); err != nil {
				t.Fatal(err)
			}
			waitIdle(t, c)
			invs = c.Invocations(key)
			if len(invs) != 2 || echoed(t, invs[1]).Event.DetailType != "Object Deleted" {
				t.Errorf("after the delete: %d invocations", len(invs))
			}
			if !strings.Contains(out.String(), "REPORT RequestId: ") || !strings.Contains(out.String(), "\tKey: "+key+"\t") ||
				!strings.Contains(out.String(), "Memory Size: 1024 MB") || !strings.Contains(out.String(), "Init Duration: ") {
				t.Errorf("output lacks a REPORT line for %q:\n%s", key, out.String())
			}
		})
	}
}

func TestFunctionErrorsEndInTheFailureQueue(t *testing.T) {
	c, client, out := startCloud(t, fixture, s3events.KeyURL)
	put(t, c, client, "fail.jpg")
	put(t, c, client, "fine.jpg")
	waitIdle(t, c)
	if n := len(c.Invocations("fail.jpg")); n != 3 {
		t.Errorf("fail.jpg invoked %d times, want 1 + the template's 2 retries", n)
	}
	if n := len(c.Invocations("fine.jpg")); n != 1 {
		t.Errorf("fine.jpg invoked %d times", n)
	}
	if want := filepath.Join("failures", "ThumbnailerFailureQueue2C1D9A3B"); !strings.HasSuffix(c.Failures().Dir, want) {
		t.Errorf("failure queue %s, want it named after the template's destination", c.Failures().Dir)
	}
	records, err := c.Failures().Records()
	if err != nil || len(records) != 1 {
		t.Fatalf("records %+v, %v", records, err)
	}
	var sent struct {
		Detail struct{ Object struct{ Key string } } `json:"detail"`
	}
	if err := json.Unmarshal(records[0].RequestPayload, &sent); err != nil || sent.Detail.Object.Key != "fail.jpg" {
		t.Errorf("record payload %s: %v", records[0].RequestPayload, err)
	}
	if !strings.Contains(out.String(), "FAILED RequestId: "+records[0].RequestContext.RequestID) {
		t.Errorf("no FAILED line in:\n%s", out.String())
	}
}

func TestStartRejectsWhatItCannotRun(t *testing.T) {
	rie, standin := testbin.Standin(t)
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "unknown-operator.json")
	if err := os.WriteFile(bad, bytes.Replace(data, []byte(`"anything-but"`), []byte(`"anything-except"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Start(Config{Template: bad, Bootstrap: standin, RIE: rie, Addr: "127.0.0.1:0", StateDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), `unknown operator "anything-except"`) {
		t.Fatalf("Start: %v, want the unknown operator named", err)
	}
}

func TestSummaryNamesWhatRuns(t *testing.T) {
	c, _, _ := startCloud(t, fixture, s3events.KeyURL)
	s := c.Summary()
	for _, want := range []string{c.URL(), "bucket images", "ThumbnailerObjectCreatedRule8E3F2A1C", `{"anything-but":{"prefix":"resized/"}}`,
		"memory 1024 MB", "timeout 30s", "concurrency 3", "2 retries", "max event age 1h0m0s", "/v20180820/jobs"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
}
