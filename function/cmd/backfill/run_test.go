package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// isolateAWS keeps the machine's AWS settings out of a test.
func isolateAWS(t *testing.T) {
	t.Helper()
	missing := filepath.Join(t.TempDir(), "none")
	for name, value := range map[string]string{
		"AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing, "AWS_PROFILE": "",
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
		"AWS_SESSION_TOKEN": "", "AWS_ENDPOINT_URL": "", "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(name, value)
	}
}

// localBucket is a local cloud holding, in bucket "photos", missing: keys with
// no thumbnail, and one orphan thumbnail.
func localBucket(t *testing.T, lambda cloudtest.LambdaOptions, missing ...string) *cloudtest.Cloud {
	t.Helper()
	cloud := cloudtest.New(t, cloudtest.Options{Lambda: lambda})
	cloud.Bucket(t, "photos")
	for i, key := range missing {
		cloud.Put(t, "photos", key, []byte{byte(i + 1)}, nil)
	}
	cloud.Put(t, "photos", "resized/gone.jpg", []byte{9}, nil)
	return cloud
}

func TestRun(t *testing.T) {
	refuseFail := func(c cloudtest.Invocation) *cloudtest.APIError {
		if bytes.Contains(c.Payload, []byte("fail")) {
			return &cloudtest.APIError{Status: http.StatusNotFound, Type: "ResourceNotFoundException", Message: "Function not found: thumbs"}
		}
		return nil
	}
	tests := []struct {
		name      string
		lambda    cloudtest.LambdaOptions
		keys      []string
		args      []string // after -endpoint and -checkpoint
		code      int
		calls     int
		stdout    []string
		stderr    string
		notStdout string
	}{
		{
			name: "finished", keys: []string{"a.jpg", "b c.jpg", "d+e.jpg"},
			args: []string{"-bucket", "photos", "-function", "thumbs"}, code: exitOK, calls: 4,
			stdout: []string{"backfill of s3://photos (thumbnails under resized/, 128x128 fill q85) finished", "created            3  (missing 3)", "removed            1  (orphans)"},
		},
		{
			name: "dry run", keys: []string{"a.jpg"},
			args: []string{"-bucket", "photos", "-dry-run"}, code: exitOK, calls: 0,
			stdout: []string{`would create the thumbnail of "a.jpg" (missing)`, `would remove "resized/gone.jpg" (orphan)`, "Dry run, nothing invoked", "to create          1"},
		},
		{
			name: "failures", lambda: cloudtest.LambdaOptions{Reject: refuseFail}, keys: []string{"fail.jpg", "ok.jpg"},
			args: []string{"-bucket", "photos", "-function", "thumbs"}, code: exitFailed, calls: 3,
			stdout: []string{`failed: create "fail.jpg": invoke: ResourceNotFoundException: Function not found: thumbs`, "failed             1"},
		},
		{
			name: "no such bucket", args: []string{"-bucket", "nothing-here", "-function", "thumbs"}, code: exitFailed,
			stderr: "backfill: list s3://nothing-here/", notStdout: "backfill of",
		},
		{name: "usage", args: []string{"-function", "thumbs"}, code: exitUsage, stderr: "-bucket is required"},
		{name: "help", args: []string{"-help"}, code: exitOK, stderr: "usage: backfill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWS(t)
			cloud := localBucket(t, tt.lambda, tt.keys...)
			args := append([]string{"-endpoint", cloud.URL, "-checkpoint", filepath.Join(t.TempDir(), "cp.json")}, tt.args...)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			if n := len(cloud.Lambda.Calls()); n != tt.calls {
				t.Errorf("%d invocations, want %d", n, tt.calls)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tt.notStdout != "" && strings.Contains(stdout.String(), tt.notStdout) {
				t.Errorf("stdout has %q:\n%s", tt.notStdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr.String())
			}
		})
	}
}

// TestRunInterruptedThenResumed stops a run partway, as Ctrl-C does, then
// resumes it; a run without -resume refuses to start over the checkpoint.
func TestRunInterruptedThenResumed(t *testing.T) {
	isolateAWS(t)
	var cancelRun atomic.Pointer[context.CancelFunc]
	cloud := localBucket(t, cloudtest.LambdaOptions{OnAccept: func(accepted int) {
		if accepted == 5 {
			(*cancelRun.Load())()
		}
	}}, keysNamed(20)...)
	checkpoint := filepath.Join(t.TempDir(), "cp.json")
	base := []string{"-endpoint", cloud.URL, "-checkpoint", checkpoint, "-bucket", "photos", "-function", "thumbs", "-concurrency", "2"}

	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"interrupted", base, exitInterrupted, "progress saved in " + checkpoint + ": run again with -resume to continue", ""},
		{"not resuming", base, exitFailed, "", "backfill: checkpoint " + checkpoint + " exists from an interrupted run"},
		{"resumed", append(base, "-resume"), exitOK, "handled           21", ""},
		{"resumed again", append(base, "-resume"), exitFailed, "", "nothing to resume"},
	}
	for _, s := range steps {
		ctx, cancel := context.WithCancel(context.Background())
		cancelRun.Store(&cancel)
		var stdout, stderr bytes.Buffer
		code := run(ctx, s.args, &stdout, &stderr)
		cancel()
		if code != s.code || !strings.Contains(stdout.String(), s.stdout) || !strings.Contains(stderr.String(), s.stderr) {
			t.Fatalf("%s: exit %d, want %d with stdout %q and stderr %q\nstdout:\n%s\nstderr:\n%s",
				s.name, code, s.code, s.stdout, s.stderr, stdout.String(), stderr.String())
		}
	}
	seen := map[string]int{}
	for _, c := range cloud.Lambda.Calls() {
		seen[string(c.Payload[bytes.Index(c.Payload, []byte(`"key"`)):])]++
	}
	if len(seen) != 21 {
		t.Errorf("%d distinct keys invoked, want 21", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("invoked %d times: %s", n, k)
		}
	}
}

func keysNamed(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%02d.jpg", i)
	}
	return keys
}
