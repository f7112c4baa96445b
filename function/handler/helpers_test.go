package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// testBucket is the bucket every test event names.
const testBucket = "uploads"

// testMaxBytes is the byte limit of testConfig: small, so limits are cheap to cross.
const testMaxBytes = 4096

// noSize leaves the size out of an event, as Object Deleted events do.
const noSize = -1

// testConfig is the product's default configuration with a small byte limit.
func testConfig() contract.Config {
	c := contract.Default()
	c.Thumbnail.Limits.MaxBytes = testMaxBytes
	return c
}

// fakeMaker stands in for thumbnail.MakeBytes: it returns a small result in the
// requested format (PNG when none is requested), an injected error, or panics.
type fakeMaker struct {
	mu      sync.Mutex
	formats []thumbnail.Format // opts.Format of each call
	inputs  [][]byte
	err     error
	panics  bool
	// failFor makes calls whose input equals a key of the map fail with its error.
	failFor map[string]error
}

func (m *fakeMaker) make(data []byte, opts thumbnail.Options) (*thumbnail.Result, error) {
	m.mu.Lock()
	m.formats = append(m.formats, opts.Format)
	m.inputs = append(m.inputs, data)
	m.mu.Unlock()
	if m.panics {
		panic("injected panic in the image core")
	}
	if err := m.failFor[string(data)]; err != nil {
		return nil, err
	}
	if m.err != nil {
		return nil, m.err
	}
	f := opts.Format
	if f == "" {
		f = thumbnail.PNG
	}
	return &thumbnail.Result{
		Data: []byte("thumbnail of " + string(data)), Format: f,
		Width: opts.Width, Height: opts.Height,
		SourceFormat: thumbnail.PNG, SourceWidth: 640, SourceHeight: 480, Orientation: 1,
	}, nil
}

func (m *fakeMaker) calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.formats)
}

// logLines collects the handler's JSON log lines.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// entries parses every line logged so far.
func (l *logLines) entries(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// skips returns the skip reason of every "skipped" line, in order.
func (l *logLines) skips(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, e := range l.entries(t) {
		if s, ok := e[FieldSkip].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// withLevel returns the lines logged at level ("INFO", "WARN", "ERROR").
func (l *logLines) withLevel(t *testing.T, level string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range l.entries(t) {
		if e["level"] == level {
			out = append(out, e)
		}
	}
	return out
}

// newTestHandler builds a Handler on fake S3 and a fake image core, logging at debug.
func newTestHandler(t *testing.T, fake *fakeS3, maker *fakeMaker) (*Handler, *logLines) {
	t.Helper()
	logs := &logLines{}
	log, err := NewLogger(logs, "debug")
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(testConfig(), fake, log)
	if err != nil {
		t.Fatal(err)
	}
	if maker != nil {
		h.make = maker.make
	}
	return h, logs
}

// handle runs one event through h.
func handle(t *testing.T, h *Handler, event []byte) error {
	t.Helper()
	return h.Handle(context.Background(), json.RawMessage(event))
}

// readFixture returns testdata/name.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// makeEvent returns the fixture with its (first) record's bucket set to
// testBucket, key set to key as given, and size set (or removed for noSize).
func makeEvent(t testing.TB, fixture, key string, size int64) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(readFixture(t, fixture), &e); err != nil {
		t.Fatalf("%s: %v", fixture, err)
	}
	var bucket, object map[string]any
	if records, ok := e["Records"].([]any); ok {
		s3 := records[0].(map[string]any)["s3"].(map[string]any)
		bucket, object = s3["bucket"].(map[string]any), s3["object"].(map[string]any)
	} else {
		detail := e["detail"].(map[string]any)
		bucket, object = detail["bucket"].(map[string]any), detail["object"].(map[string]any)
	}
	bucket["name"] = testBucket
	object["key"] = key
	if size == noSize {
		delete(object, "size")
	} else {
		object["size"] = size
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// joinRecords merges the records of several S3 notifications into one event.
func joinRecords(t *testing.T, events ...[]byte) []byte {
	t.Helper()
	var all []any
	for _, ev := range events {
		var e struct{ Records []any }
		if err := json.Unmarshal(ev, &e); err != nil {
			t.Fatal(err)
		}
		all = append(all, e.Records...)
	}
	b, err := json.Marshal(map[string]any{"Records": all})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// s3Encode encodes a key the way S3 notifications do: form-URL-encoded, with "/" kept.
func s3Encode(key string) string {
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// assertOnlyOutputsWritten fails the test if anything outside the output
// prefix was put or deleted: originals are never modified.
func assertOnlyOutputsWritten(t *testing.T, fake *fakeS3) {
	t.Helper()
	for _, k := range fake.writes {
		if !strings.HasPrefix(k, contract.DefaultOutputPrefix) || k == contract.DefaultOutputPrefix {
			t.Errorf("wrote or deleted %q, outside the output prefix %q", k, contract.DefaultOutputPrefix)
		}
	}
}

// compareGolden compares got with testdata/golden/name; go test -update rewrites the file.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

// discardLogger drops every line, for tests that do not read logs.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
