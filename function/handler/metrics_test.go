package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// testFunctionName is the FunctionName dimension of the tests' metrics.
const testFunctionName = "thumbnails-test"

// steppingClock reads start, then moves on by step at every reading, so
// durations and timestamps in metrics are the same on every run.
type steppingClock struct {
	now  time.Time
	step time.Duration
}

func (c *steppingClock) read() time.Time {
	t := c.now
	c.now = c.now.Add(c.step)
	return t
}

// newMeteredHandler builds a Handler like newTestHandler whose metrics go to
// the returned buffer, timed by a clock that steps 125 ms at every reading.
func newMeteredHandler(t *testing.T, fake *fakeS3, maker *fakeMaker) (*Handler, *logLines, *bytes.Buffer) {
	t.Helper()
	logs := &logLines{}
	log, err := NewLogger(logs, "debug")
	if err != nil {
		t.Fatal(err)
	}
	metrics := &bytes.Buffer{}
	h, err := New(testConfig(), fake, log, WithMetrics(metrics, testFunctionName))
	if err != nil {
		t.Fatal(err)
	}
	h.make = maker.make
	clock := &steppingClock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), step: 125 * time.Millisecond}
	h.now = clock.read
	return h, logs, metrics
}

// emfDocuments splits metrics output into its documents, failing the test
// unless every line is one valid EMF document.
func emfDocuments(t *testing.T, out []byte) []json.RawMessage {
	t.Helper()
	if len(out) == 0 {
		return nil
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		t.Fatalf("metrics output does not end a line: %q", out)
	}
	var docs []json.RawMessage
	for _, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		if err := validateEMF(line); err != nil {
			t.Fatalf("invalid EMF document: %v\n%s", err, line)
		}
		docs = append(docs, json.RawMessage(line))
	}
	return docs
}

// emfCount is the count metric and reason a document is expected to carry.
type emfCount struct {
	metric, reason string
}

// countOf returns the first metric a document defines, its value, and its reason.
func countOf(t *testing.T, doc json.RawMessage) (emfCount, json.Number) {
	t.Helper()
	var d struct {
		AWS struct {
			CloudWatchMetrics []struct{ Metrics []struct{ Name string } }
		} `json:"_aws"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	name := d.AWS.CloudWatchMetrics[0].Metrics[0].Name
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		t.Fatal(err)
	}
	reason, _ := root[contract.DimensionReason].(string)
	value, _ := root[name].(json.Number)
	return emfCount{metric: name, reason: reason}, value
}

// TestMetricsOfEachOutcome runs one event for every outcome a record can have
// and checks the EMF documents written: valid, one a record, counting the
// expected metric for the expected reason, and exactly as in
// testdata/golden/metrics/<name>.json (go test -update rewrites them).
func TestMetricsOfEachOutcome(t *testing.T) {
	size := int64(len(sourceBody))
	longKey := "photos/" + strings.Repeat("a", MaxKeyBytes-len("photos/")-4) + ".png"
	imageError := func(kind error) func(*fakeS3, *fakeMaker) {
		return func(f *fakeS3, m *fakeMaker) {
			f.add(testBucket, "photos/cat.png", []byte(sourceBody))
			m.err = &thumbnail.Error{Kind: kind, Reason: "refused by the test"}
		}
	}
	source := func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "photos/cat.png", []byte(sourceBody)) }
	created := makeEvent(t, s3Put, "photos/cat.png", size)
	tests := []struct {
		name   string // golden file name
		setup  func(*fakeS3, *fakeMaker)
		events [][]byte
		want   []emfCount // one a record, in order
		// wantRetry: Handle returns an error for the last event, so Lambda retries it.
		wantRetry bool
	}{
		{"made", source, [][]byte{created},
			[]emfCount{{contract.MetricThumbnailsMade, ""}}, false},
		{"deleted", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, "resized/photos/old.png", []byte("thumbnail")) },
			[][]byte{makeEvent(t, s3Delete, "photos/old.png", noSize)},
			[]emfCount{{contract.MetricThumbnailsDeleted, ""}}, false},

		{"skipped-output-prefix", source, [][]byte{makeEvent(t, ebCreated, "resized/photos/cat.png", size)},
			[]emfCount{{contract.MetricSkipped, SkipOutputPrefix}}, false},
		{"skipped-folder", source, [][]byte{makeEvent(t, s3Put, "photos/new+folder/", 0)},
			[]emfCount{{contract.MetricSkipped, SkipFolder}}, false},
		{"skipped-empty", source, [][]byte{makeEvent(t, s3Put, "photos/cat.png", 0)},
			[]emfCount{{contract.MetricSkipped, SkipEmpty}}, false},
		{"skipped-too-large", source, [][]byte{makeEvent(t, s3Put, "photos/cat.png", testMaxBytes+1)},
			[]emfCount{{contract.MetricSkipped, SkipTooLarge}}, false},
		{"skipped-gone", func(*fakeS3, *fakeMaker) {}, [][]byte{created},
			[]emfCount{{contract.MetricSkipped, SkipGone}}, false},
		{"skipped-up-to-date", source, [][]byte{created, created},
			[]emfCount{{contract.MetricThumbnailsMade, ""}, {contract.MetricSkipped, SkipUpToDate}}, false},
		{"skipped-still-exists", source, [][]byte{makeEvent(t, s3Delete, "photos/cat.png", noSize)},
			[]emfCount{{contract.MetricSkipped, SkipStillExists}}, false},
		{"skipped-event-type", source, [][]byte{readFixture(t, "eventbridge-object-restore-completed.json")},
			[]emfCount{{contract.MetricSkipped, SkipEventType}}, false},

		{"rejected-unsupported", imageError(thumbnail.ErrUnsupported), [][]byte{created},
			[]emfCount{{contract.MetricRejected, RejectUnsupported}}, false},
		{"rejected-too-large", imageError(thumbnail.ErrTooLarge), [][]byte{created},
			[]emfCount{{contract.MetricRejected, RejectTooLarge}}, false},
		{"rejected-corrupt", imageError(thumbnail.ErrCorrupt), [][]byte{created},
			[]emfCount{{contract.MetricRejected, RejectCorrupt}}, false},
		{"rejected-key-too-long", func(f *fakeS3, _ *fakeMaker) { f.add(testBucket, longKey, []byte(sourceBody)) },
			[][]byte{makeEvent(t, s3Put, longKey, size)},
			[]emfCount{{contract.MetricRejected, RejectKeyTooLong}}, false},
		{"rejected-not-s3-event", source, [][]byte{[]byte(`{"hello": "world"}`)},
			[]emfCount{{contract.MetricRejected, RejectNotS3Event}}, false},

		{"failed-slowdown", func(f *fakeS3, m *fakeMaker) {
			source(f, m)
			f.failOn("GetObject", testBucket, "photos/cat.png", errSlowDown())
		}, [][]byte{created}, []emfCount{{contract.MetricTransientFailures, "SlowDown"}}, true},
		{"failed-access-denied", func(f *fakeS3, m *fakeMaker) {
			source(f, m)
			f.failOn("PutObject", testBucket, "resized/photos/cat.png", errAccessDenied())
		}, [][]byte{created}, []emfCount{{contract.MetricTransientFailures, "AccessDenied"}}, true},
		{"failed-timeout", func(f *fakeS3, m *fakeMaker) {
			source(f, m)
			f.failOn("GetObject", testBucket, "photos/cat.png", context.DeadlineExceeded)
		}, [][]byte{created}, []emfCount{{contract.MetricTransientFailures, TransientTimeout}}, true},
		{"failed-panic", func(f *fakeS3, m *fakeMaker) {
			source(f, m)
			m.panics = true
		}, [][]byte{created}, []emfCount{{contract.MetricTransientFailures, TransientPanic}}, true},
		{"failed-other", func(f *fakeS3, m *fakeMaker) {
			source(f, m)
			f.failOn("GetObject", testBucket, "photos/cat.png", errors.New("read: connection reset by peer"))
		}, [][]byte{created}, []emfCount{{contract.MetricTransientFailures, TransientOther}}, true},

		{"batch", func(f *fakeS3, m *fakeMaker) {
			f.add(testBucket, "photos/ok.png", []byte("fine"))
			f.add(testBucket, "photos/broken.png", []byte("broken"))
			f.add(testBucket, "photos/busy.png", []byte("busy"))
			f.failOn("GetObject", testBucket, "photos/busy.png", errSlowDown())
			m.failFor = map[string]error{"broken": &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "not a PNG file"}}
		}, [][]byte{joinRecords(t,
			makeEvent(t, s3Put, "photos/ok.png", 4),
			makeEvent(t, s3Put, "photos/broken.png", 6),
			makeEvent(t, s3Put, "photos/busy.png", 4),
			makeEvent(t, s3Delete, "photos/ok.png", noSize),
		)}, []emfCount{
			{contract.MetricThumbnailsMade, ""},
			{contract.MetricRejected, RejectCorrupt},
			{contract.MetricTransientFailures, "SlowDown"},
			{contract.MetricSkipped, SkipStillExists},
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, maker := newFakeS3(), &fakeMaker{}
			tt.setup(fake, maker)
			h, _, metrics := newMeteredHandler(t, fake, maker)
			var err error
			for _, event := range tt.events {
				err = handle(t, h, event)
			}
			if (err != nil) != tt.wantRetry {
				t.Fatalf("Handle = %v, want an error: %v", err, tt.wantRetry)
			}

			docs := emfDocuments(t, metrics.Bytes())
			if len(docs) != len(tt.want) {
				t.Fatalf("%d EMF documents, want %d:\n%s", len(docs), len(tt.want), metrics)
			}
			for i, doc := range docs {
				got, value := countOf(t, doc)
				if got != tt.want[i] {
					t.Errorf("document %d counts %+v, want %+v", i, got, tt.want[i])
				}
				if value.String() != "1" {
					t.Errorf("document %d: %s = %s, want 1", i, got.metric, value)
				}
			}
			indented, err := json.MarshalIndent(docs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, "metrics/"+tt.name+".json", append(indented, '\n'))
		})
	}
}

// TestMetricsOfThumbnailMade checks the measures of a thumbnail made from a
// real JPEG by the real image core: the original's bytes and pixels, and the
// time the clock says the record took.
func TestMetricsOfThumbnailMade(t *testing.T) {
	source := encodeJPEG(t, gradient(300, 200))
	fake := newFakeS3()
	fake.add(testBucket, "photos/dog.jpg", source)
	h, logs, metrics := newMeteredHandler(t, fake, &fakeMaker{})
	h.make = thumbnail.MakeBytes
	h.cfg.Thumbnail.Limits.MaxBytes = int64(len(source))

	if err := handle(t, h, makeEvent(t, ebCreated, "photos/dog.jpg", int64(len(source)))); err != nil {
		t.Fatal(err)
	}

	docs := emfDocuments(t, metrics.Bytes())
	if len(docs) != 1 {
		t.Fatalf("%d EMF documents, want 1; log: %v", len(docs), logs.entries(t))
	}
	var got struct {
		Made, Pixels, Bytes int64
		Duration            float64
		Function            string
	}
	fields := map[string]any{
		contract.MetricThumbnailsMade: &got.Made, contract.MetricSourcePixels: &got.Pixels, contract.MetricSourceBytes: &got.Bytes,
		contract.MetricDuration: &got.Duration, contract.DimensionFunctionName: &got.Function,
	}
	var root map[string]json.RawMessage
	if err := json.Unmarshal(docs[0], &root); err != nil {
		t.Fatal(err)
	}
	for name, dst := range fields {
		if err := json.Unmarshal(root[name], dst); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	want := struct {
		Made, Pixels, Bytes int64
		Duration            float64
		Function            string
	}{1, 300 * 200, int64(len(source)), 125, testFunctionName}
	if got != want {
		t.Errorf("metrics %+v, want %+v", got, want)
	}
}

// failingWriter fails every write, as a closed stdout would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stdout closed") }

// TestMetricsWriteFailureIsLogged checks that metrics that cannot be written
// cost a warning, not the record: the thumbnail is made and nothing is retried.
func TestMetricsWriteFailureIsLogged(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/cat.png", []byte(sourceBody))
	logs := &logLines{}
	log, err := NewLogger(logs, "info")
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(testConfig(), fake, log, WithMetrics(failingWriter{}, testFunctionName))
	if err != nil {
		t.Fatal(err)
	}
	h.make = (&fakeMaker{}).make

	if err := handle(t, h, makeEvent(t, s3Put, "photos/cat.png", int64(len(sourceBody)))); err != nil {
		t.Fatalf("Handle = %v, want nil", err)
	}
	if fake.get(testBucket, "resized/photos/cat.png") == nil {
		t.Error("no thumbnail")
	}
	warns := logs.withLevel(t, "WARN")
	if len(warns) != 1 || warns[0]["msg"] != "metrics not written" || !strings.Contains(fmt.Sprint(warns[0]["error"]), "stdout closed") {
		t.Errorf("WARN lines = %v, want one saying the metrics were not written and why", warns)
	}
}

// TestWithMetricsRejects checks that New refuses metrics it could not write validly.
func TestWithMetricsRejects(t *testing.T) {
	tests := []struct {
		name, functionName string
		w                  io.Writer
		wantErr            string
	}{
		{"no writer", testFunctionName, nil, "need a writer"},
		{"no function name", "", &bytes.Buffer{}, "AWS_LAMBDA_FUNCTION_NAME"},
		{"blank function name", "  ", &bytes.Buffer{}, "AWS_LAMBDA_FUNCTION_NAME"},
		{"function name too long", strings.Repeat("f", maxDimensionValueLen+1), &bytes.Buffer{}, "at most 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(testConfig(), newFakeS3(), discardLogger(), WithMetrics(tt.w, tt.functionName))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}

// TestEMFWriterRefusesUnknownOutcome checks that an outcome of no known kind
// is an error, not a document without metrics.
func TestEMFWriterRefusesUnknownOutcome(t *testing.T) {
	var out bytes.Buffer
	w, err := newEMFWriter(&out, testFunctionName)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.write(time.Now(), outcome{}, 0); err == nil || !strings.Contains(err.Error(), "no metrics for outcome") {
		t.Fatalf("write = %v, want an error naming the unknown outcome", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q for an unknown outcome", out.String())
	}
}

// TestEMFWriterWritesWholeLines writes from many goroutines at once: every
// line must still be one whole, valid document (run with -race to check the lock).
func TestEMFWriterWritesWholeLines(t *testing.T) {
	var out bytes.Buffer
	w, err := newEMFWriter(&out, testFunctionName)
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Go(func() {
			for range each {
				errs <- w.write(time.Unix(1_800_000_000, 0), outcome{kind: outcomeSkipped, reason: SkipGone}, 0)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if docs := emfDocuments(t, out.Bytes()); len(docs) != writers*each {
		t.Fatalf("%d documents, want %d", len(docs), writers*each)
	}
}
