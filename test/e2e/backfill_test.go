package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// TestBackfillCommand runs the backfill command as the README tells a user to, against
// a bucket loaded while the trigger was off: every original gets an up-to-date
// thumbnail, the stale one is remade, the orphans go, each key is invoked once; a
// second run finds everything up to date and invokes nothing.
func TestBackfillCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "backfill")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := toolchain.Build(ctx, root, "./function/cmd/backfill", bin); err != nil {
		t.Fatal(err)
	}
	e := start(t, cloudOptions{})
	e.cloud.SetTrigger(localcloud.TriggerOff)
	for i, key := range oddKeys {
		e.put(key, smallPNG(t, i), "image/png")
	}
	e.put("nested/", nil, "")                                           // a folder marker: skipped
	e.put(e.prefix+oddKeys[0], []byte("not this image's"), "image/png") // stale: no metadata
	orphans := []string{"gone for good.png", "ünïcödé/gone+too.png"}
	for _, key := range orphans {
		e.put(e.prefix+key, smallPNG(t, 99), "image/png")
	}
	e.cloud.SetTrigger(localcloud.TriggerOn)

	run := func() (stdout string) {
		t.Helper()
		var out, errOut bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "-endpoint", e.cloud.URL(), "-bucket", e.cloud.Bucket(), "-function", e.cloud.FunctionName(),
			"-checkpoint", filepath.Join(t.TempDir(), "checkpoint.json"))
		cmd.Env = isolatedEnv(t)
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("backfill: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
		}
		e.wait()
		return out.String()
	}

	report := run()
	for line, want := range map[string]string{
		"created": strconv.Itoa(len(oddKeys)) + "  (missing " + strconv.Itoa(len(oddKeys)-1) + ", stale 1)",
		"removed": strconv.Itoa(len(orphans)) + "  (orphans)",
		"skipped": "1  (folder 1)",
		"failed":  "0",
	} {
		checkReportLine(t, report, line, want)
	}
	e.checkUpToDate(oddKeys...)
	for _, key := range orphans {
		if _, ok := e.get(e.prefix + key); ok {
			t.Errorf("orphan %s%s is still there", e.prefix, key)
		}
	}
	for _, key := range append(append([]string{}, oddKeys...), orphans...) {
		if n := len(e.cloud.Invocations(key)); n != 1 {
			t.Errorf("%q: %d invocations, want 1", key, n)
		}
	}
	if records, err := e.cloud.Failures().Records(); err != nil || len(records) != 0 {
		t.Errorf("failure records %+v, %v; want none", records, err)
	}

	before, invoked := e.list(), e.totalInvocations()
	report = run()
	checkReportLine(t, report, "up to date", strconv.Itoa(len(oddKeys)))
	checkReportLine(t, report, "created", "0")
	checkReportLine(t, report, "removed", "0")
	if n := e.totalInvocations() - invoked; n != 0 {
		t.Errorf("the second run invoked the function %d times, want 0", n)
	}
	if after := e.list(); !sameListing(before, after) {
		t.Errorf("the second run changed the bucket:\nbefore %v\nafter  %v", before, after)
	}
}

// checkReportLine fails the test unless the report's line for name reads want.
func checkReportLine(t *testing.T, report, name, want string) {
	t.Helper()
	line := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + ` +(.*)$`).FindStringSubmatch(report)
	if line == nil || line[1] != want {
		t.Errorf("report line %q: %q, want %q\n%s", name, line, want, report)
	}
}

// isolatedEnv is an environment without the machine's AWS settings, so the command
// finds its region and credentials only from -endpoint.
func isolatedEnv(t testing.TB) []string {
	missing := filepath.Join(t.TempDir(), "none")
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AWS_CONFIG_FILE=" + missing,
		"AWS_SHARED_CREDENTIALS_FILE=" + missing, "AWS_EC2_METADATA_DISABLED=true"}
}

func sameListing(a, b map[string]listed) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// cancelAfter hands invokes to the SDK client and cancels the run once n of them have
// been accepted, as Ctrl-C would at that moment.
type cancelAfter struct {
	next     backfill.Invoker
	n        int32
	accepted atomic.Int32
	cancel   context.CancelFunc
}

// Invoke passes the call on and counts it.
func (c *cancelAfter) Invoke(ctx context.Context, in *lambda.InvokeInput, opts ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	out, err := c.next.Invoke(ctx, in, opts...)
	if err == nil && c.accepted.Add(1) == c.n {
		c.cancel()
	}
	return out, err
}

// TestBackfillInterruptedThenResumed stops a backfill after some invokes and resumes it
// from its checkpoint: in all, every key is handed to the function exactly once, as
// the local cloud counts the invocations.
func TestBackfillInterruptedThenResumed(t *testing.T) {
	e := start(t, cloudOptions{})
	e.cloud.SetTrigger(localcloud.TriggerOff)
	var keys []string
	for i := range 16 {
		key := oddKeys[i%len(oddKeys)]
		if i >= len(oddKeys) {
			key = "again/" + key
		}
		keys = append(keys, key)
		e.put(key, smallPNG(t, i), "image/png")
	}
	orphans := []string{"orphan one.png", "orphan+two.png", "orphan%three.png"}
	for _, key := range orphans {
		e.put(e.prefix+key, smallPNG(t, 50), "image/png")
	}
	e.cloud.SetTrigger(localcloud.TriggerOn)

	cfg := backfill.Config{
		Bucket: e.cloud.Bucket(), Function: e.cloud.FunctionName(), Region: "us-east-1", Prefix: e.prefix,
		Thumbnail: e.functionConfig().Thumbnail, Concurrency: 4, Checkpoint: filepath.Join(t.TempDir(), "checkpoint.json"),
	}.WithDefaults()
	const stopAfter = 7
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupted := runBackfill(ctx, t, e, cfg, &cancelAfter{next: e.lambdaClient(), n: stopAfter, cancel: cancel})
	if !interrupted.Interrupted {
		t.Fatal("the first run was not interrupted")
	}
	if _, err := os.Stat(cfg.Checkpoint); err != nil {
		t.Fatalf("no checkpoint after the interruption: %v", err)
	}
	e.wait()
	first := e.totalInvocations()
	t.Logf("interrupted after %d of %d keys were handed to the function", first, len(keys)+len(orphans))
	if first < stopAfter || first >= len(keys)+len(orphans) {
		t.Fatalf("the interrupted run invoked %d times, want from %d to fewer than all %d keys", first, stopAfter, len(keys)+len(orphans))
	}

	cfg.Resume = true
	resumed := runBackfill(context.Background(), t, e, cfg, e.lambdaClient())
	e.wait()
	if resumed.Interrupted || resumed.Summary.Handled() != len(keys)+len(orphans) || resumed.Summary.Failed != 0 {
		t.Errorf("resumed run: interrupted %v, %d handled, %d failed; want every one of %d keys handled",
			resumed.Interrupted, resumed.Summary.Handled(), resumed.Summary.Failed, len(keys)+len(orphans))
	}
	if _, err := os.Stat(cfg.Checkpoint); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("checkpoint left after the finished run: %v", err)
	}
	for _, key := range append(append([]string{}, keys...), orphans...) {
		if n := len(e.cloud.Invocations(key)); n != 1 {
			t.Errorf("%q: invoked %d times over both runs, want exactly 1", key, n)
		}
	}
	if n := e.totalInvocations(); n != len(keys)+len(orphans) {
		t.Errorf("%d invocations in all, want %d: %s", n, len(keys)+len(orphans), e.invocationCounts())
	}
	e.checkUpToDate(keys...)
	for _, key := range orphans {
		if _, ok := e.get(e.prefix + key); ok {
			t.Errorf("orphan %s%s is still there", e.prefix, key)
		}
	}
}

// runBackfill runs the backfill library against the local cloud's endpoint.
func runBackfill(ctx context.Context, t *testing.T, e *env, cfg backfill.Config, invoker backfill.Invoker) backfill.Report {
	t.Helper()
	var log bytes.Buffer
	runner, err := backfill.New(cfg, e.client, invoker, &log, nil)
	if err != nil {
		t.Fatal(err)
	}
	report, err := runner.Run(ctx)
	if err != nil {
		t.Fatalf("backfill: %v\n%s", err, log.String())
	}
	return report
}
