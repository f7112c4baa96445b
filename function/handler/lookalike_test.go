package handler

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// withETag sets the ETag (unquoted, as events carry it) of an event's first record.
func withETag(t *testing.T, event []byte, etag string) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(event, &e); err != nil {
		t.Fatal(err)
	}
	if records, ok := e["Records"].([]any); ok {
		object := records[0].(map[string]any)["s3"].(map[string]any)["object"].(map[string]any)
		object["eTag"] = strings.Trim(etag, `"`)
	} else {
		object := e["detail"].(map[string]any)["object"].(map[string]any)
		object["etag"] = strings.Trim(etag, `"`)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCreatedTellsLookAlikeKeysApart uploads keys that read alike once URL-decoded, such
// as "a+b.jpg" beside "a b.jpg", and delivers the event of one of them with its key raw
// (as EventBridge does, by the best public evidence) or URL-encoded (as S3 notifications
// do). The thumbnail made must be the uploaded object's, under its own name; no other
// object's thumbnail may stand in for it.
func TestCreatedTellsLookAlikeKeysApart(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		stored   map[string]string // key -> body
		uploaded string            // the key whose event is delivered
		eventKey string            // that key as the event carries it
		// eventBody is the body whose ETag and size the event carries: the uploaded
		// object's, unless it changed since.
		eventBody string
		// eventSize, when set, is the event's size instead of eventBody's.
		eventSize int64
		wantOut   []string // thumbnails written
	}{
		{name: "raw plus beside a space", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a+b.jpg", eventKey: "p/a+b.jpg", wantOut: []string{"resized/p/a+b.jpg"}},
		{name: "raw space beside a plus", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a b.jpg", eventKey: "p/a b.jpg", wantOut: []string{"resized/p/a b.jpg"}},
		{name: "URL-encoded plus beside a space", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a+b.jpg", eventKey: "p/a%2Bb.jpg", wantOut: []string{"resized/p/a+b.jpg"}},
		{name: "URL-encoded space beside a plus", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a b.jpg", eventKey: "p/a+b.jpg", wantOut: []string{"resized/p/a b.jpg"}},
		{name: "notification space beside a plus", fixture: s3Put,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a b.jpg", eventKey: "p/a+b.jpg", wantOut: []string{"resized/p/a b.jpg"}},
		{name: "raw percent beside its decoding", fixture: ebCreated,
			stored:   map[string]string{"p/50%41.png": "percent", "p/50A.png": "letter"},
			uploaded: "p/50%41.png", eventKey: "p/50%41.png", wantOut: []string{"resized/p/50%41.png"}},
		{name: "same bytes under both names: each its own", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "same", "p/a+b.jpg": "same"},
			uploaded: "p/a+b.jpg", eventKey: "p/a+b.jpg", wantOut: []string{"resized/p/a b.jpg", "resized/p/a+b.jpg"}},
		{name: "same ETag, other size", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a+b.jpg", eventKey: "p/a+b.jpg", eventSize: 99, wantOut: []string{"resized/p/a b.jpg"}},
		{name: "changed since the event: first reading, under its own name", fixture: ebCreated,
			stored:   map[string]string{"p/a b.jpg": "space", "p/a+b.jpg": "plus"},
			uploaded: "p/a+b.jpg", eventKey: "p/a+b.jpg", eventBody: "an older upload", wantOut: []string{"resized/p/a b.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			for key, body := range tt.stored {
				fake.add(testBucket, key, []byte(body))
			}
			h, _ := newTestHandler(t, fake, &fakeMaker{})
			body := tt.stored[tt.uploaded]
			if tt.eventBody != "" {
				body = tt.eventBody
			}
			size := int64(len(body))
			if tt.eventSize != 0 {
				size = tt.eventSize
			}
			event := withETag(t, makeEvent(t, tt.fixture, tt.eventKey, size), etagOf([]byte(body)))

			if err := handle(t, h, event); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			assertOnlyOutputsWritten(t, fake)
			var written []string
			written = append(written, fake.writes...)
			slices.Sort(written)
			if !slices.Equal(written, tt.wantOut) {
				t.Errorf("thumbnails written %q, want %q", written, tt.wantOut)
			}
			assertThumbnailsNameTheirSource(t, fake, tt.stored)
		})
	}
}

// assertThumbnailsNameTheirSource fails unless every thumbnail was made from the
// object under its own name: its source key and ETag metadata are that object's.
func assertThumbnailsNameTheirSource(t *testing.T, fake *fakeS3, stored map[string]string) {
	t.Helper()
	for _, w := range fake.writes {
		outKey := w
		source := strings.TrimPrefix(outKey, "resized/")
		thumb := fake.get(testBucket, outKey)
		if thumb == nil {
			t.Errorf("%s was written, then is missing", outKey)
			continue
		}
		if got, _ := url.QueryUnescape(thumb.metadata[contract.MetaSourceKey]); got != source {
			t.Errorf("%s was made from %q, want from %q", outKey, got, source)
		}
		if want := strings.Trim(etagOf([]byte(stored[source])), `"`); thumb.metadata[contract.MetaSourceETag] != want {
			t.Errorf("%s was made from ETag %s, want %s (the bytes of %q)", outKey, thumb.metadata[contract.MetaSourceETag], want, source)
		}
		if want := "thumbnail of " + stored[source]; string(thumb.body) != want {
			t.Errorf("%s holds %q, want %q", outKey, thumb.body, want)
		}
	}
}

// TestCreatedLookAlikeHeadFailureIsRetried checks that a failure to read a reading's
// headers is returned for a retry rather than guessed around.
func TestCreatedLookAlikeHeadFailureIsRetried(t *testing.T) {
	fake := newFakeS3()
	fake.add(testBucket, "p/a b.jpg", []byte("space"))
	fake.add(testBucket, "p/a+b.jpg", []byte("plus"))
	fake.failOn("HeadObject", testBucket, "p/a b.jpg", errUnavailable())
	h, _ := newTestHandler(t, fake, &fakeMaker{})
	event := withETag(t, makeEvent(t, ebCreated, "p/a+b.jpg", 4), etagOf([]byte("plus")))
	if err := handle(t, h, event); err == nil {
		t.Fatal("Handle = nil, want the 503 returned for a retry")
	}
	if len(fake.writes) != 0 {
		t.Errorf("wrote %q after a failed HeadObject", fake.writes)
	}
}
