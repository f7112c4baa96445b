package handler

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

const (
	ebCreated  = "eventbridge-object-created.json"
	s3Put      = "s3-objectcreated-put.json"
	sourceBody = "source image bytes"
)

// TestCreated drives Object Created events of both shapes through the handler:
// key decoding, raw-key fallback, output format and key, metadata, and every skip.
func TestCreated(t *testing.T) {
	size := int64(len(sourceBody))
	tests := []struct {
		name     string
		fixture  string
		stored   string // key the original is stored under; "" for none
		body     string // the original's bytes; sourceBody when empty
		empty    bool   // store the original with no bytes at all
		eventKey string // key as the event carries it
		size     int64
		// wantOut is the thumbnail's key, "" when none is written.
		wantOut    string
		wantFormat thumbnail.Format // format asked of the image core
		wantSkip   string
		wantGets   int // GetObject calls
	}{
		{name: "EventBridge plain key", fixture: ebCreated, stored: "photos/cat.png", eventKey: "photos/cat.png", size: size,
			wantOut: "resized/photos/cat.png", wantFormat: thumbnail.PNG, wantGets: 1},
		{name: "notification space as plus", fixture: s3Put, stored: "photos/red flower.jpg", eventKey: "photos/red+flower.jpg", size: size,
			wantOut: "resized/photos/red flower.jpg", wantFormat: thumbnail.JPEG, wantGets: 1},
		{name: "EventBridge space unencoded", fixture: ebCreated, stored: "photos/red flower.jpg", eventKey: "photos/red flower.jpg", size: size,
			wantOut: "resized/photos/red flower.jpg", wantFormat: thumbnail.JPEG, wantGets: 1},
		{name: "EventBridge space encoded", fixture: ebCreated, stored: "photos/red flower.jpg", eventKey: "photos/red+flower.jpg", size: size,
			wantOut: "resized/photos/red flower.jpg", wantFormat: thumbnail.JPEG, wantGets: 1},
		{name: "notification literal plus", fixture: s3Put, stored: "photos/a+b.jpg", eventKey: s3Encode("photos/a+b.jpg"), size: size,
			wantOut: "resized/photos/a+b.jpg", wantFormat: thumbnail.JPEG, wantGets: 1},
		{name: "EventBridge literal plus falls back to raw key", fixture: ebCreated, stored: "photos/a+b.jpg", eventKey: "photos/a+b.jpg", size: size,
			wantOut: "resized/photos/a+b.jpg", wantFormat: thumbnail.JPEG, wantGets: 2},
		{name: "notification percent", fixture: s3Put, stored: "photos/100%.png", eventKey: s3Encode("photos/100%.png"), size: size,
			wantOut: "resized/photos/100%.png", wantFormat: thumbnail.PNG, wantGets: 1},
		{name: "EventBridge bare percent", fixture: ebCreated, stored: "photos/100%.png", eventKey: "photos/100%.png", size: size,
			wantOut: "resized/photos/100%.png", wantFormat: thumbnail.PNG, wantGets: 1},
		{name: "EventBridge percent and hex falls back to raw key", fixture: ebCreated, stored: "photos/50%41.png", eventKey: "photos/50%41.png", size: size,
			wantOut: "resized/photos/50%41.png", wantFormat: thumbnail.PNG, wantGets: 2},
		{name: "notification unicode", fixture: s3Put, stored: "photos/café/日本 1.webp", eventKey: s3Encode("photos/café/日本 1.webp"), size: size,
			wantOut: "resized/photos/café/日本 1.webp", wantFormat: thumbnail.WebP, wantGets: 1},
		{name: "EventBridge unicode unencoded", fixture: ebCreated, stored: "photos/café/日本.gif", eventKey: "photos/café/日本.gif", size: size,
			wantOut: "resized/photos/café/日本.gif", wantFormat: thumbnail.GIF, wantGets: 1},
		{name: "nested folders", fixture: s3Put, stored: "a/b/c/d/e.jpeg", eventKey: "a/b/c/d/e.jpeg", size: size,
			wantOut: "resized/a/b/c/d/e.jpeg", wantFormat: thumbnail.JPEG, wantGets: 1},
		{name: "upper-case extension", fixture: s3Put, stored: "photos/CAT.JPG", eventKey: "photos/CAT.JPG", size: size,
			wantOut: "resized/photos/CAT.JPG", wantFormat: thumbnail.JPEG, wantGets: 1},
		{name: "no extension keeps the input format", fixture: s3Put, stored: "photos/scan", eventKey: "photos/scan", size: size,
			wantOut: "resized/photos/scan", wantFormat: "", wantGets: 1},
		{name: "unknown extension keeps the input format", fixture: ebCreated, stored: "photos/scan.bmp", eventKey: "photos/scan.bmp", size: size,
			wantOut: "resized/photos/scan.bmp", wantFormat: "", wantGets: 1},
		{name: "event size unknown", fixture: ebCreated, stored: "photos/cat.png", eventKey: "photos/cat.png", size: noSize,
			wantOut: "resized/photos/cat.png", wantFormat: thumbnail.PNG, wantGets: 1},

		{name: "skip thumbnail key", fixture: ebCreated, stored: "resized/photos/cat.png", eventKey: "resized/photos/cat.png", size: size,
			wantSkip: SkipOutputPrefix},
		{name: "skip thumbnail key once decoded", fixture: s3Put, stored: "resized/cat.png", eventKey: "resized%2Fcat.png", size: size,
			wantSkip: SkipOutputPrefix},
		{name: "skip folder marker", fixture: s3Put, stored: "photos/new folder/", body: "-", eventKey: "photos/new+folder/", size: 0,
			wantSkip: SkipFolder},
		{name: "skip empty by event size", fixture: ebCreated, stored: "photos/empty.png", eventKey: "photos/empty.png", size: 0,
			wantSkip: SkipEmpty},
		{name: "skip too large by event size", fixture: s3Put, stored: "photos/huge.png", eventKey: "photos/huge.png", size: testMaxBytes + 1,
			wantSkip: SkipTooLarge},
		{name: "at the limit is made", fixture: s3Put, stored: "photos/big.png", body: strings.Repeat("x", testMaxBytes), eventKey: "photos/big.png", size: testMaxBytes,
			wantOut: "resized/photos/big.png", wantFormat: thumbnail.PNG, wantGets: 1},
		{name: "skip too large by content length", fixture: ebCreated, stored: "photos/grown.png", body: strings.Repeat("x", testMaxBytes+1), eventKey: "photos/grown.png", size: 10,
			wantSkip: SkipTooLarge, wantGets: 1},
		{name: "skip empty by content length", fixture: ebCreated, stored: "photos/emptied.png", empty: true, eventKey: "photos/emptied.png", size: 10,
			wantSkip: SkipEmpty, wantGets: 1},
		{name: "skip gone", fixture: s3Put, eventKey: "photos/cat.png", size: size,
			wantSkip: SkipGone, wantGets: 1},
		{name: "skip gone under both readings", fixture: ebCreated, eventKey: "photos/a+b.jpg", size: size,
			wantSkip: SkipGone, wantGets: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			body := tt.body
			switch {
			case tt.empty:
				body = ""
			case body == "":
				body = sourceBody
			}
			if tt.stored != "" {
				fake.add(testBucket, tt.stored, []byte(body))
			}
			maker := &fakeMaker{}
			h, logs := newTestHandler(t, fake, maker)

			if err := handle(t, h, makeEvent(t, tt.fixture, tt.eventKey, tt.size)); err != nil {
				t.Fatalf("Handle: %v", err)
			}

			assertOnlyOutputsWritten(t, fake)
			if got := fake.count("GetObject"); got != tt.wantGets {
				t.Errorf("GetObject calls = %d, want %d (%q)", got, tt.wantGets, fake.calls)
			}
			if tt.wantSkip != "" {
				if got := logs.skips(t); !slices.Equal(got, []string{tt.wantSkip}) {
					t.Errorf("skips = %q, want [%s]", got, tt.wantSkip)
				}
				if n := fake.count("PutObject") + maker.calls(); n != 0 {
					t.Errorf("skipped record still made or wrote a thumbnail (%q)", fake.calls)
				}
				return
			}
			if got := logs.skips(t); len(got) != 0 {
				t.Errorf("unexpected skips %q", got)
			}
			if !slices.Equal(maker.formats, []thumbnail.Format{tt.wantFormat}) {
				t.Errorf("formats asked = %q, want [%q]", maker.formats, tt.wantFormat)
			}
			assertThumbnail(t, fake, tt.stored, tt.wantOut)
			assertWrittenLine(t, logs, tt.wantOut, tt.wantGets == 2)
		})
	}
}

// assertThumbnail checks the thumbnail of the original stored at source: its
// bytes, Content-Type, Cache-Control and metadata.
func assertThumbnail(t *testing.T, fake *fakeS3, source, out string) {
	t.Helper()
	orig := fake.get(testBucket, source)
	thumb := fake.get(testBucket, out)
	if thumb == nil {
		t.Fatalf("no thumbnail at %q; objects written: %q", out, fake.writes)
	}
	if want := "thumbnail of " + string(orig.body); string(thumb.body) != want {
		t.Errorf("thumbnail body = %q, want %q", thumb.body, want)
	}
	wantType := thumbnail.FormatFromName(out).ContentType()
	if thumbnail.FormatFromName(out) == "" {
		wantType = thumbnail.PNG.ContentType() // what fakeMaker returns for the input's format
	}
	if thumb.contentType != wantType {
		t.Errorf("Content-Type = %q, want %q", thumb.contentType, wantType)
	}
	if thumb.cacheControl != contract.DefaultCacheControl {
		t.Errorf("Cache-Control = %q, want %q", thumb.cacheControl, contract.DefaultCacheControl)
	}
	wantMeta := map[string]string{
		contract.MetaSourceETag: strings.Trim(orig.etag, `"`),
		contract.MetaSourceSize: fmt.Sprint(len(orig.body)),
		contract.MetaSourceKey:  url.QueryEscape(source),
		contract.MetaSpec:       "128x128 fill q85",
	}
	for k, want := range wantMeta {
		if got := thumb.metadata[k]; got != want {
			t.Errorf("metadata %s = %q, want %q", k, got, want)
		}
	}
	if key, err := url.QueryUnescape(thumb.metadata[contract.MetaSourceKey]); err != nil || key != source {
		t.Errorf("metadata %s decodes to %q, %v; want %q", contract.MetaSourceKey, key, err, source)
	}
	if _, ok := thumb.metadata[contract.MetaSourceVersionID]; ok {
		t.Errorf("metadata %s set on an unversioned original", contract.MetaSourceVersionID)
	}
	if string(orig.body) != string(fake.get(testBucket, source).body) {
		t.Errorf("original %q changed", source)
	}
}

// assertWrittenLine checks the INFO line that reports a thumbnail; rawKey
// says whether the original was found under the event's raw key.
func assertWrittenLine(t *testing.T, logs *logLines, out string, rawKey bool) {
	t.Helper()
	for _, e := range logs.withLevel(t, "INFO") {
		if e["msg"] != "thumbnail written" {
			continue
		}
		if foundAs, ok := e[FieldFoundAs]; ok != rawKey || (rawKey && out != "resized/"+foundAs.(string)) {
			t.Errorf("log line %v: %s = %v, want it set (%v) to the raw key", e, FieldFoundAs, foundAs, rawKey)
		}
		if e[FieldOutputKey] != out || e[FieldBucket] != testBucket || e[FieldOutputDims] != "128x128" || e[FieldSourceDims] != "640x480" {
			t.Errorf("log line %v: wrong output key, bucket or dims", e)
		}
		for _, f := range []string{FieldKey, FieldSourceBytes, FieldOutputBytes, FieldDownloadMS, FieldResizeMS, FieldUploadMS} {
			if _, ok := e[f]; !ok {
				t.Errorf("log line %v lacks %s", e, f)
			}
		}
		return
	}
	t.Errorf("no \"thumbnail written\" line in %v", logs.entries(t))
}

// TestCreatedIsIdempotent checks that a second delivery writes nothing, that a
// new upload under the same key is made again, and that ETags compare without quotes.
func TestCreatedIsIdempotent(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/cat.png", []byte(sourceBody))
	maker := &fakeMaker{}
	h, logs := newTestHandler(t, fake, maker)
	event := makeEvent(t, s3Put, "photos/cat.png", int64(len(sourceBody)))

	for i := range 2 {
		if err := handle(t, h, event); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
	}
	if puts, makes := fake.count("PutObject"), maker.calls(); puts != 1 || makes != 1 {
		t.Fatalf("after two deliveries: %d puts, %d thumbnails made; want 1 and 1", puts, makes)
	}
	if got := logs.skips(t); !slices.Equal(got, []string{SkipUpToDate}) {
		t.Fatalf("skips = %q, want [%s]", got, SkipUpToDate)
	}

	fake.add(testBucket, "photos/cat.png", []byte("a new picture"))
	if err := handle(t, h, event); err != nil {
		t.Fatal(err)
	}
	if puts := fake.count("PutObject"); puts != 2 {
		t.Fatalf("after a re-upload: %d puts, want 2", puts)
	}
	if got := string(fake.get(testBucket, "resized/photos/cat.png").body); got != "thumbnail of a new picture" {
		t.Fatalf("thumbnail = %q, want the new picture's", got)
	}

	// A thumbnail whose metadata quotes the ETag, under capitalised names, is still up to date.
	thumb := fake.get(testBucket, "resized/photos/cat.png")
	thumb.metadata = map[string]string{"Source-Etag": etagOf([]byte("a new picture")), "Thumbnail-Spec": "128x128 fill q85"}
	if err := handle(t, h, event); err != nil {
		t.Fatal(err)
	}
	if puts := fake.count("PutObject"); puts != 2 {
		t.Fatalf("quoted ETag not recognised: %d puts, want 2", puts)
	}

	// New settings make every thumbnail out of date.
	h.cfg.Thumbnail.Width, h.cfg.Thumbnail.Height = 64, 64
	if err := handle(t, h, event); err != nil {
		t.Fatal(err)
	}
	if puts := fake.count("PutObject"); puts != 3 {
		t.Fatalf("after a size change: %d puts, want 3", puts)
	}
	if got := fake.get(testBucket, "resized/photos/cat.png").metadata[contract.MetaSpec]; got != "64x64 fill q85" {
		t.Fatalf("metadata %s = %q after a size change", contract.MetaSpec, got)
	}
	assertOnlyOutputsWritten(t, fake)
}

// TestCreatedRefusesKeyTooLongForPrefix checks that an original whose key
// leaves no room for the prefix fails permanently before it is downloaded.
func TestCreatedRefusesKeyTooLongForPrefix(t *testing.T) {
	key := "photos/" + strings.Repeat("é", 505) + ".jpg" // 1021 bytes: fits S3, not with "resized/"
	fake := newFakeS3()
	fake.add(testBucket, key, []byte(sourceBody))
	maker := &fakeMaker{}
	h, logs := newTestHandler(t, fake, maker)
	if err := handle(t, h, makeEvent(t, ebCreated, key, int64(len(sourceBody)))); err != nil {
		t.Fatalf("Handle = %v, want nil: a retry cannot shorten the key", err)
	}
	errs := logs.withLevel(t, "ERROR")
	if len(errs) != 1 || !strings.Contains(errs[0][FieldReason].(string), "key of 1029 bytes, S3 allows 1024") {
		t.Errorf("ERROR lines = %v, want one giving the key's length", errs)
	}
	if maker.calls() != 0 || fake.count("PutObject") != 0 || fake.count("HeadObject") != 0 {
		t.Errorf("work done for an unwritable thumbnail: %q", fake.calls)
	}
}

// TestCreatedWhenThumbnailHeadFails checks that failing to read the old
// thumbnail's headers does not stop a new one from being made.
func TestCreatedWhenThumbnailHeadFails(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/cat.png", []byte(sourceBody))
	fake.failOn("HeadObject", testBucket, "resized/photos/cat.png", errAccessDenied())
	h, logs := newTestHandler(t, fake, &fakeMaker{})
	if err := handle(t, h, makeEvent(t, ebCreated, "photos/cat.png", int64(len(sourceBody)))); err != nil {
		t.Fatal(err)
	}
	if fake.get(testBucket, "resized/photos/cat.png") == nil {
		t.Fatal("no thumbnail written")
	}
	if warns := logs.withLevel(t, "WARN"); len(warns) != 1 || !strings.Contains(fmt.Sprint(warns[0]), "AccessDenied") {
		t.Errorf("WARN lines = %v, want one naming AccessDenied", warns)
	}
}

// TestCreatedRecordsVersionID checks the version id of a versioned original lands in the metadata.
func TestCreatedRecordsVersionID(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/cat.png", []byte(sourceBody))
	fake.get(testBucket, "photos/cat.png").versionID = "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"
	h, _ := newTestHandler(t, fake, &fakeMaker{})
	if err := handle(t, h, makeEvent(t, ebCreated, "photos/cat.png", int64(len(sourceBody)))); err != nil {
		t.Fatal(err)
	}
	if got := fake.get(testBucket, "resized/photos/cat.png").metadata[contract.MetaSourceVersionID]; got != "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd" {
		t.Errorf("metadata %s = %q", contract.MetaSourceVersionID, got)
	}
}

// TestCreatedFailures checks the sorting of failures: the image core's
// permanent errors are logged and dropped, everything else is returned for a retry.
func TestCreatedFailures(t *testing.T) {
	const key = "photos/cat.jpg"
	tests := []struct {
		name      string
		inject    func(*fakeS3, *fakeMaker)
		retry     bool   // Handle returns an error
		wantInLog string // in the ERROR line's reason
	}{
		{"corrupt image", func(_ *fakeS3, m *fakeMaker) {
			m.err = &thumbnail.Error{Kind: thumbnail.ErrCorrupt, Reason: "jpeg: missing SOI marker"}
		}, false, "corrupt image: jpeg: missing SOI marker"},
		{"too many pixels", func(_ *fakeS3, m *fakeMaker) {
			m.err = &thumbnail.Error{Kind: thumbnail.ErrTooLarge, Reason: "jpeg header declares 100000x100000"}
		}, false, "too large"},
		{"unsupported format", func(_ *fakeS3, m *fakeMaker) {
			m.err = &thumbnail.Error{Kind: thumbnail.ErrUnsupported, Reason: "bytes start with %PDF"}
		}, false, "unsupported format"},
		{"throttled read", func(f *fakeS3, _ *fakeMaker) {
			f.failOn("GetObject", testBucket, key, errSlowDown())
		}, true, "SlowDown"},
		{"read unavailable", func(f *fakeS3, _ *fakeMaker) {
			f.failOn("GetObject", testBucket, key, errUnavailable())
		}, true, "StatusCode: 503"},
		{"read denied", func(f *fakeS3, _ *fakeMaker) {
			f.failOn("GetObject", testBucket, key, errAccessDenied())
		}, true, "AccessDenied"},
		{"throttled write", func(f *fakeS3, _ *fakeMaker) {
			f.failOn("PutObject", testBucket, "resized/"+key, errSlowDown())
		}, true, "put s3://uploads/resized/photos/cat.jpg"},
		{"write unavailable", func(f *fakeS3, _ *fakeMaker) {
			f.failOn("PutObject", testBucket, "resized/"+key, errUnavailable())
		}, true, "ServiceUnavailable"},
		{"image core read error", func(_ *fakeS3, m *fakeMaker) {
			m.err = errors.New("unexpected EOF")
		}, true, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			fake.add(testBucket, key, []byte(sourceBody))
			maker := &fakeMaker{}
			tt.inject(fake, maker)
			h, logs := newTestHandler(t, fake, maker)

			err := handle(t, h, makeEvent(t, s3Put, key, int64(len(sourceBody))))

			if (err != nil) != tt.retry {
				t.Fatalf("Handle = %v, want an error: %v", err, tt.retry)
			}
			if err != nil && !strings.Contains(err.Error(), "s3://uploads/"+key) {
				t.Errorf("error %q does not name the object", err)
			}
			errs := logs.withLevel(t, "ERROR")
			if len(errs) != 1 {
				t.Fatalf("ERROR lines = %v, want one", errs)
			}
			reason, _ := errs[0][FieldReason].(string)
			if !strings.Contains(reason, tt.wantInLog) || errs[0][FieldKey] != key || errs[0][FieldBucket] != testBucket {
				t.Errorf("ERROR line %v: want key %q and a reason with %q", errs[0], key, tt.wantInLog)
			}
			if strings.Contains(reason, "\n") {
				t.Errorf("reason spans lines: %q", reason)
			}
			if fake.get(testBucket, "resized/"+key) != nil {
				t.Error("a thumbnail was written despite the failure")
			}
			assertOnlyOutputsWritten(t, fake)
		})
	}
}

// TestCreatedNoFallbackOnOtherErrors checks that only "not found" makes the raw key worth a try.
func TestCreatedNoFallbackOnOtherErrors(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "photos/a+b.jpg", []byte(sourceBody))
	fake.failOn("GetObject", testBucket, "photos/a b.jpg", errUnavailable())
	h, _ := newTestHandler(t, fake, &fakeMaker{})
	if err := handle(t, h, makeEvent(t, ebCreated, "photos/a+b.jpg", int64(len(sourceBody)))); err == nil {
		t.Fatal("Handle = nil, want the 503 returned for a retry")
	}
	if got := fake.count("GetObject"); got != 1 {
		t.Errorf("GetObject calls = %d, want 1 (no fallback after a 503)", got)
	}
}

func TestReadBounded(t *testing.T) {
	tests := []struct {
		name     string
		body     io.Reader
		hint     int64
		limit    int64
		wantLen  int
		wantErr  error
		wantFail bool
	}{
		{"under the limit", strings.NewReader("12345"), 5, 10, 5, nil, false},
		{"at the limit", strings.NewReader("1234567890"), 10, 10, 10, nil, false},
		{"over the limit", strings.NewReader("12345678901"), 11, 10, 11, errOverLimit, true},
		{"over the limit, no hint", bytes.NewReader(make([]byte, 1<<20)), 0, 10, 11, errOverLimit, true},
		{"hint lies low", strings.NewReader("1234567890"), 2, 10, 10, nil, false},
		{"empty", strings.NewReader(""), 0, 10, 0, nil, false},
		{"read error", iotest.ErrReader(errors.New("connection reset")), 5, 10, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBounded(tt.body, tt.hint, tt.limit)
			if (err != nil) != tt.wantFail || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("err = %v, want %v (fail %v)", err, tt.wantErr, tt.wantFail)
			}
			if len(got) != tt.wantLen {
				t.Errorf("read %d bytes, want %d", len(got), tt.wantLen)
			}
		})
	}
}
