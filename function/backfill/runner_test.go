package backfill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/handler"
	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

const testBucket = "photos"

// expected is what a backfill of a filled bucket must do.
type expected struct {
	creates map[string]string // original key -> reason
	removes map[string]bool   // original key of each orphan
	summary Summary
}

// oddDirs name the folders of a filled bucket, so every state meets odd names.
var oddDirs = []string{"plain", "a b", "c+d", "e%f", "%41", "фото 写真", "x/y/z"}

// fillBucket writes n keys in rotating states: missing, up to date, stale by
// ETag, stale by settings, orphan, original newer than its thumbnail; plus a
// folder marker and an empty object.
func fillBucket(t *testing.T, cloud *cloudtest.Cloud, n int) expected {
	t.Helper()
	cloud.Bucket(t, testBucket)
	spec := contract.DefaultThumbnail().Spec()
	want := expected{creates: map[string]string{}, removes: map[string]bool{}}
	put := func(key string, meta map[string]string) string {
		return cloud.Put(t, testBucket, key, []byte("bytes of "+key), meta)
	}
	made := func(etag, spec string) map[string]string {
		return map[string]string{contract.MetaSourceETag: unquote(etag), contract.MetaSpec: spec}
	}
	for i := range n {
		key := fmt.Sprintf("%s/%04d.jpg", oddDirs[i%len(oddDirs)], i)
		thumb := testPrefix + key
		switch i % 6 {
		case 0:
			put(key, nil)
			want.creates[key] = ReasonMissing
		case 1:
			put(thumb, made(put(key, nil), spec))
			want.summary.UpToDate++
		case 2:
			put(key, nil)
			put(thumb, made(`"0123456789abcdef0123456789abcdef"`, spec))
			want.creates[key] = ReasonStale
		case 3:
			put(thumb, made(put(key, nil), "64x64 fill q85"))
			want.creates[key] = ReasonStale
		case 4:
			put(thumb, made(`"0123456789abcdef0123456789abcdef"`, spec))
			want.removes[key] = true
		case 5:
			put(thumb, made(`"0123456789abcdef0123456789abcdef"`, spec))
			cloud.Advance(time.Second)
			put(key, nil)
			want.creates[key] = ReasonOriginalNewer
		}
	}
	cloud.Put(t, testBucket, "plain/", nil, nil)
	cloud.Put(t, testBucket, "empty.jpg", nil, nil)
	want.summary.Skipped = map[string]int{ReasonFolder: 1, ReasonEmpty: 1}
	for _, reason := range want.creates {
		want.summary.Created = increment(want.summary.Created, reason)
	}
	want.summary.Removed = len(want.removes)
	return want
}

// invoked decodes every call as the function would: "create KEY" or "remove KEY".
func invoked(t *testing.T, calls []cloudtest.Invocation) []string {
	t.Helper()
	var out []string
	for _, c := range calls {
		if c.Type != "Event" || c.Function != "thumbnails" {
			t.Errorf("call of %q with invocation type %q, want an Event invocation of thumbnails", c.Function, c.Type)
		}
		records, err := handler.Decode(c.Payload)
		if err != nil || len(records) != 1 {
			t.Fatalf("the function cannot read %s: %v", c.Payload, err)
		}
		verb := map[handler.Action]string{handler.ActionCreated: "create", handler.ActionDeleted: "remove"}[records[0].Action]
		out = append(out, verb+" "+firstReading(records[0].Key))
	}
	return out
}

// wantCalls is the sorted list of calls a backfill of e must make.
func (e expected) wantCalls() []string {
	var out []string
	for k := range e.creates {
		out = append(out, "create "+k)
	}
	for k := range e.removes {
		out = append(out, "remove "+k)
	}
	slices.Sort(out)
	return out
}

func testConfig(t *testing.T) Config {
	return Config{
		Bucket: testBucket, Function: "thumbnails", Region: cloudtest.Region,
		Rate: 10_000, Concurrency: 4, Checkpoint: filepath.Join(t.TempDir(), "checkpoint.json"),
	}.WithDefaults()
}

func newTestRunner(t *testing.T, cfg Config, cloud *cloudtest.Cloud, log io.Writer) *Runner {
	t.Helper()
	r, err := New(cfg, cloud.S3(), cloud.LambdaClient(), log, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sameSummary compares the counts, treating nil and empty maps alike.
func sameSummary(t *testing.T, got, want Summary) {
	t.Helper()
	if !maps.Equal(got.Created, want.Created) || got.UpToDate != want.UpToDate || got.Removed != want.Removed ||
		!maps.Equal(got.Skipped, want.Skipped) || got.Failed != want.Failed {
		t.Errorf("summary\n got  %+v\n want %+v", got, want)
	}
}

func TestRunMakesTheBucketConsistent(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	want := fillBucket(t, cloud, 600)
	cfg := testConfig(t)
	report, err := newTestRunner(t, cfg, cloud, io.Discard).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if report.Interrupted {
		t.Error("report says interrupted")
	}
	sameSummary(t, report.Summary, want.summary)
	got := invoked(t, cloud.Lambda.Calls())
	slices.Sort(got)
	if !slices.Equal(got, want.wantCalls()) {
		t.Errorf("%d calls, want %d; first got %q, first want %q", len(got), len(want.wantCalls()), first(got), first(want.wantCalls()))
	}
	if _, err := os.Stat(cfg.Checkpoint); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a finished run left its checkpoint: %v", err)
	}
}

func first(s []string) []string { return s[:min(len(s), 5)] }

func TestRunDryRunInvokesNothing(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	want := fillBucket(t, cloud, 120)
	cfg := testConfig(t)
	cfg.DryRun = true
	cfg.Function = ""
	var log bytes.Buffer
	r, err := New(cfg, cloud.S3(), nil, &log, nil)
	if err != nil {
		t.Fatal(err)
	}
	report, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cloud.Lambda.Calls()); n != 0 {
		t.Errorf("a dry run made %d invocations", n)
	}
	sameSummary(t, report.Summary, want.summary)
	if report.Checkpoint != "" {
		t.Errorf("a dry run names checkpoint %q", report.Checkpoint)
	}
	if _, err := os.Stat(cfg.Checkpoint); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dry run wrote a checkpoint: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	var creates, removes int
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "would create the thumbnail of "):
			creates++
		case strings.HasPrefix(l, "would remove \""+testPrefix):
			removes++
		default:
			t.Errorf("unexpected line %q", l)
		}
	}
	if creates != len(want.creates) || removes != len(want.removes) {
		t.Errorf("%d create and %d remove lines, want %d and %d", creates, removes, len(want.creates), len(want.removes))
	}
	if !strings.Contains(log.String(), `would create the thumbnail of "plain/0000.jpg" (missing)`) {
		t.Errorf("no line for the first missing thumbnail in:\n%s", log.String())
	}
}

func TestRunRespectsRateAndConcurrency(t *testing.T) {
	tests := []struct {
		name        string
		rate        float64
		concurrency int
		delay       time.Duration
		keys        int
		minInFlight int // the run must use its concurrency, or the bound proves nothing
	}{
		{name: "rate", rate: 25, concurrency: 8, keys: 20, minInFlight: 1},
		{name: "concurrency", rate: 10_000, concurrency: 3, delay: 25 * time.Millisecond, keys: 30, minInFlight: 2},
		{name: "one at a time", rate: 10_000, concurrency: 1, delay: 5 * time.Millisecond, keys: 10, minInFlight: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud := cloudtest.New(t, cloudtest.Options{Lambda: cloudtest.LambdaOptions{Delay: tt.delay}})
			cloud.Bucket(t, testBucket)
			for i := range tt.keys {
				cloud.Put(t, testBucket, fmt.Sprintf("k%03d.jpg", i), []byte{byte(i)}, nil)
			}
			cfg := testConfig(t)
			cfg.Rate, cfg.Concurrency = tt.rate, tt.concurrency
			report, err := newTestRunner(t, cfg, cloud, io.Discard).Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			calls := cloud.Lambda.Calls()
			if len(calls) != tt.keys || report.Summary.Created[ReasonMissing] != tt.keys {
				t.Fatalf("%d calls and %d created, want %d", len(calls), report.Summary.Created[ReasonMissing], tt.keys)
			}
			// With a burst of one, n events take at least (n-1)/rate; 5% slack for clock reads.
			span := calls[len(calls)-1].Received.Sub(calls[0].Received)
			if least := time.Duration(float64(tt.keys-1) / tt.rate * 0.95 * float64(time.Second)); span < least {
				t.Errorf("%d invocations in %v, faster than %v/s allows (%v)", tt.keys, span, tt.rate, least)
			}
			if got := cloud.Lambda.MaxInFlight(); got > tt.concurrency || got < tt.minInFlight {
				t.Errorf("%d invocations at once, want %d-%d", got, tt.minInFlight, tt.concurrency)
			}
		})
	}
}

func TestRunReportsInvokeFailures(t *testing.T) {
	notFound := &cloudtest.APIError{Status: http.StatusNotFound, Type: "ResourceNotFoundException", Message: "Function not found: thumbnails"}
	tests := []struct {
		name       string
		opts       cloudtest.LambdaOptions
		failed     int
		reason     string
		created    int
		failedKeys []string
	}{
		{
			name: "some keys refused",
			opts: cloudtest.LambdaOptions{Reject: func(c cloudtest.Invocation) *cloudtest.APIError {
				if bytes.Contains(c.Payload, []byte("fail")) {
					return notFound
				}
				return nil
			}},
			failed: 3, created: 5, reason: "invoke: ResourceNotFoundException: Function not found: thumbnails",
			failedKeys: []string{"fail-0.jpg", "fail-1.jpg", "fail-2.jpg"},
		},
		{
			name:   "answered as a synchronous invoke",
			opts:   cloudtest.LambdaOptions{Status: http.StatusOK},
			failed: 8, reason: "invoke: invoke answered status 200, want 202 for an asynchronous invoke",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud := cloudtest.New(t, cloudtest.Options{Lambda: tt.opts})
			cloud.Bucket(t, testBucket)
			for i := range 3 {
				cloud.Put(t, testBucket, fmt.Sprintf("fail-%d.jpg", i), []byte{1}, nil)
			}
			for i := range 5 {
				cloud.Put(t, testBucket, fmt.Sprintf("ok-%d.jpg", i), []byte{2}, nil)
			}
			cfg := testConfig(t)
			var log bytes.Buffer
			report, err := newTestRunner(t, cfg, cloud, &log).Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			s := report.Summary
			if s.Failed != tt.failed || s.CreatedTotal() != tt.created || len(s.Failures) != 1 ||
				s.Failures[0].Reason != tt.reason || s.Failures[0].Count != tt.failed {
				t.Fatalf("summary %+v, want %d failed for %q and %d created", s, tt.failed, tt.reason, tt.created)
			}
			if tt.failedKeys != nil {
				got := slices.Sorted(slices.Values(s.Failures[0].Keys))
				if !slices.Equal(got, tt.failedKeys) {
					t.Errorf("failed keys %q, want %q", got, tt.failedKeys)
				}
			}
			if n := strings.Count(log.String(), "failed: create "); n != tt.failed {
				t.Errorf("%d failure lines, want %d:\n%s", n, tt.failed, log.String())
			}
			if !strings.Contains(log.String(), tt.reason) {
				t.Errorf("the log does not give the reason %q:\n%s", tt.reason, log.String())
			}
		})
	}
}

// TestRunResumesAfterInterruptions interrupts runs partway, resumes each time
// from the checkpoint, and checks that every key was handled exactly once over
// all runs: each call made once, each key counted once.
func TestRunResumesAfterInterruptions(t *testing.T) {
	tests := []struct {
		name string
		// cancelAt lists the numbers of accepted invocations at which the
		// current run is interrupted, one per interruption.
		cancelAt []int
		// cancelBefore lists the runs (0 is the first) interrupted before they start.
		cancelBefore []int
	}{
		{name: "once", cancelAt: []int{40}},
		{name: "three times", cancelAt: []int{15, 70, 160}},
		{name: "right away", cancelBefore: []int{0}},
		{name: "at the first invocation", cancelAt: []int{1}},
		// The resumed run stops before listing again the keys its checkpoint
		// carried beyond the resume point; its own checkpoint must keep them.
		{name: "resumed and stopped at once", cancelAt: []int{40}, cancelBefore: []int{1}},
	}
	doneBeyond := 0 // keys checkpoints held beyond their resume point, over all cases
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cancelRun atomic.Pointer[context.CancelFunc]
			var thresholds sync.Mutex
			pending := slices.Clone(tt.cancelAt)
			cloud := cloudtest.New(t, cloudtest.Options{
				// Slow checks beside quick invokes: every fifth key takes
				// 60 ms to check, the others none, so an interruption finds
				// such a key mid-check while later ones are done, and
				// checkpoints hold keys handled beyond the resume point
				// however busy the machine is.
				HeadDelayOf: func(path string) time.Duration {
					var n int
					if _, err := fmt.Sscanf(path[strings.LastIndexByte(path, '/')+1:], "%04d.jpg", &n); err == nil && n%5 == 0 {
						return 60 * time.Millisecond
					}
					return 0
				},
				Lambda: cloudtest.LambdaOptions{
					Delay: time.Millisecond,
					OnAccept: func(accepted int) {
						thresholds.Lock()
						defer thresholds.Unlock()
						if len(pending) > 0 && accepted >= pending[0] {
							pending = pending[1:]
							(*cancelRun.Load())()
						}
					},
				},
			})
			want := fillBucket(t, cloud, 300)
			cfg := testConfig(t)
			var report Report
			interruptions := 0
			for run := 0; ; run++ {
				if run > len(tt.cancelAt)+len(tt.cancelBefore) {
					t.Fatalf("still not finished after %d runs", run)
				}
				ctx, cancel := context.WithCancel(context.Background())
				cancelRun.Store(&cancel)
				if slices.Contains(tt.cancelBefore, run) {
					cancel()
				}
				var err error
				report, err = newTestRunner(t, cfg, cloud, io.Discard).Run(ctx)
				cancel()
				if err != nil {
					t.Fatalf("run %d: %v", run, err)
				}
				if !report.Interrupted {
					break
				}
				interruptions++
				saved, err := LoadCheckpoint(cfg.Checkpoint)
				if err != nil {
					t.Fatalf("run %d interrupted without a checkpoint: %v", run, err)
				}
				doneBeyond += len(saved.Done)
				if saved.Summary.Handled() != report.Summary.Handled() {
					t.Errorf("run %d: checkpoint counts %d keys, report %d", run, saved.Summary.Handled(), report.Summary.Handled())
				}
				cfg.Resume = true
			}
			if want := len(tt.cancelAt) + len(tt.cancelBefore); interruptions != want {
				t.Errorf("%d interruptions, want %d", interruptions, want)
			}
			got := invoked(t, cloud.Lambda.Calls())
			slices.Sort(got)
			if dup := duplicates(got); len(dup) > 0 {
				t.Errorf("invoked more than once: %q", first(dup))
			}
			if !slices.Equal(slices.Compact(got), want.wantCalls()) {
				t.Errorf("%d distinct calls, want %d", len(slices.Compact(got)), len(want.wantCalls()))
			}
			sameSummary(t, report.Summary, want.summary)
			if _, err := os.Stat(cfg.Checkpoint); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the finished run left its checkpoint: %v", err)
			}
		})
	}
	if doneBeyond == 0 {
		t.Error("no checkpoint held keys beyond its resume point: the out-of-order case went untested")
	}
}

func duplicates(sorted []string) []string {
	var dup []string
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			dup = append(dup, sorted[i])
		}
	}
	return dup
}

// TestRunSavesCheckpointsAsItGoes reads the checkpoint file at every
// invocation of a run: it must appear during the run, count only keys already
// handled, and never go back. (How far it lags depends on how fast the disk
// flushes, so no lag is asserted.)
func TestRunSavesCheckpointsAsItGoes(t *testing.T) {
	var cfg Config
	var mu sync.Mutex
	var problems []string
	latest := -1
	cloud := cloudtest.New(t, cloudtest.Options{Lambda: cloudtest.LambdaOptions{
		Delay: 10 * time.Millisecond,
		OnAccept: func(accepted int) {
			cp, err := LoadCheckpoint(cfg.Checkpoint)
			if errors.Is(err, fs.ErrNotExist) {
				return // not written yet
			}
			mu.Lock()
			defer mu.Unlock()
			switch n := cp.Summary.Handled(); {
			case err != nil:
				problems = append(problems, err.Error())
			case n > accepted-1:
				problems = append(problems, fmt.Sprintf("at invocation %d the checkpoint counts %d keys handled", accepted, n))
			case n < latest:
				problems = append(problems, fmt.Sprintf("at invocation %d the checkpoint went back from %d to %d keys", accepted, latest, n))
			default:
				latest = n
			}
		},
	}})
	cloud.Bucket(t, testBucket)
	for i := range 40 {
		cloud.Put(t, testBucket, fmt.Sprintf("k%02d.jpg", i), []byte{byte(i)}, nil)
	}
	cfg = testConfig(t)
	cfg.Concurrency, cfg.CheckpointEvery = 1, 20*time.Millisecond
	if _, err := newTestRunner(t, cfg, cloud, io.Discard).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	if latest < 1 {
		t.Errorf("no checkpoint counting a handled key appeared during the run (latest %d)", latest)
	}
}

func TestRunRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, cfg *Config)
		want  string
	}{
		{"a checkpoint exists and the run does not resume", func(t *testing.T, cfg *Config) {
			if err := (Checkpoint{Version: checkpointVersion}).Save(cfg.Checkpoint); err != nil {
				t.Fatal(err)
			}
		}, "exists from an interrupted run"},
		{"resuming without a checkpoint", func(t *testing.T, cfg *Config) { cfg.Resume = true }, "nothing to resume"},
		{"resuming another bucket's checkpoint", func(t *testing.T, cfg *Config) {
			cfg.Resume = true
			cp := Checkpoint{Version: checkpointVersion, Bucket: "other", Prefix: testPrefix, Spec: cfg.Thumbnail.Spec()}
			if err := cp.Save(cfg.Checkpoint); err != nil {
				t.Fatal(err)
			}
		}, `is for bucket "other", not "photos"`},
		{"resuming with other thumbnail settings", func(t *testing.T, cfg *Config) {
			cfg.Resume = true
			cp := Checkpoint{Version: checkpointVersion, Bucket: testBucket, Prefix: testPrefix, Spec: "64x64 fill q85"}
			if err := cp.Save(cfg.Checkpoint); err != nil {
				t.Fatal(err)
			}
		}, `for thumbnails "64x64 fill q85", not "128x128 fill q85"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud := cloudtest.New(t, cloudtest.Options{})
			cloud.Bucket(t, testBucket)
			cloud.Put(t, testBucket, "a.jpg", []byte{1}, nil)
			cfg := testConfig(t)
			tt.setup(t, &cfg)
			_, err := newTestRunner(t, cfg, cloud, io.Discard).Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), cfg.Checkpoint) {
				t.Errorf("error %v, want one naming %s and saying %q", err, cfg.Checkpoint, tt.want)
			}
			if n := len(cloud.Lambda.Calls()); n != 0 {
				t.Errorf("%d invocations before refusing", n)
			}
		})
	}
}

func TestRunStopsOnAListingFailureAndSavesProgress(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	cfg := testConfig(t)
	cfg.Bucket = "no-such-bucket"
	report, err := newTestRunner(t, cfg, cloud, io.Discard).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "list s3://no-such-bucket/") {
		t.Fatalf("error %v, want the listing's", err)
	}
	if !report.Interrupted {
		t.Error("report of a run stopped by its listing is not marked interrupted")
	}
	if _, err := LoadCheckpoint(cfg.Checkpoint); err != nil {
		t.Errorf("no checkpoint to resume from: %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	cfg := testConfig(t)
	tests := []struct {
		name   string
		cfg    Config
		s3     S3API
		lambda Invoker
		log    io.Writer
		want   string
	}{
		{"invalid config", Config{}, cloud.S3(), cloud.LambdaClient(), io.Discard, "bucket: not set"},
		{"no S3", cfg, nil, cloud.LambdaClient(), io.Discard, "needs an S3 client"},
		{"no Lambda", cfg, cloud.S3(), nil, io.Discard, "a Lambda client"},
		{"no log", cfg, cloud.S3(), cloud.LambdaClient(), nil, "a log writer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s3 S3API
			if tt.s3 != nil {
				s3 = tt.s3
			}
			if _, err := New(tt.cfg, s3, tt.lambda, tt.log, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
