package backfill

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

// oddKeys are keys whose spelling an event could garble.
var oddKeys = []string{
	"plain.jpg", "photos/2026/a.jpg", "red flower.jpg", "a+b.jpg", "a b+c.jpg", "100%.jpg", "%41.jpg",
	"%zz.jpg", "a%2Bb.jpg", "фото/写真 ü.jpg", "emoji-😀.png", "q?x=1&y=2#f.jpg", "semi;colon=.jpg", "tab\t.jpg",
}

func fixedEventMaker() eventMaker {
	m := newEventMaker("photos-bucket", "eu-west-1")
	m.now = func() time.Time { return time.Date(2026, 11, 1, 12, 30, 45, 123456789, time.UTC) }
	m.newID = func() string { return "11111111-2222-3333-4444-555555555555" }
	return m
}

func TestEventsGolden(t *testing.T) {
	m := fixedEventMaker()
	tests := []struct {
		name  string
		build func() ([]byte, error)
	}{
		{"object-created.json", func() ([]byte, error) {
			return m.created(Object{Key: "photos/red flower+1.jpg", ETag: `"b1946ac92492d2347c6235b4d2611184"`, Size: 20480})
		}},
		{"object-deleted.json", func() ([]byte, error) { return m.deleted("photos/old.jpg") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, payload, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			golden(t, tt.name, pretty.Bytes())
		})
	}
}

// TestEventsDecodeAsTheTriggersDo checks every event against the handler's
// own decoder: the action, bucket, size and ETag it reads, and the key it
// looks for first, which must be the listed key exactly.
func TestEventsDecodeAsTheTriggersDo(t *testing.T) {
	m := newEventMaker("b", "us-east-1")
	for _, key := range oddKeys {
		t.Run(key, func(t *testing.T) {
			created, err := m.created(Object{Key: key, ETag: `"0123"`, Size: 42})
			if err != nil {
				t.Fatal(err)
			}
			deleted, err := m.deleted(key)
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				payload []byte
				action  handler.Action
			}{{created, handler.ActionCreated}, {deleted, handler.ActionDeleted}} {
				records, err := handler.Decode(tc.payload)
				if err != nil {
					t.Fatalf("the handler cannot decode %s: %v", tc.payload, err)
				}
				if len(records) != 1 {
					t.Fatalf("%d records, want 1", len(records))
				}
				r := records[0]
				if r.Action != tc.action || r.Bucket != "b" || r.Reason != EventReason {
					t.Errorf("record %+v, want action %s, bucket b, reason %s", r, tc.action, EventReason)
				}
				if got := firstReading(r.Key); got != key {
					t.Errorf("the handler first reads the key as %q, want %q (sent %q)", got, key, r.Key)
				}
				if tc.action == handler.ActionCreated && (!r.HasSize || r.Size != 42 || r.ETag != "0123") {
					t.Errorf("created record size %d (has %v), ETag %q; want 42 and 0123 unquoted", r.Size, r.HasSize, r.ETag)
				}
			}
		})
	}
}

// firstReading is the key the handler tries first for an event's key: the
// form-URL-decoded one, or the key as sent when it does not decode.
func firstReading(sent string) string {
	if decoded, err := url.QueryUnescape(sent); err == nil {
		return decoded
	}
	return sent
}

func TestEventKeySendsPlainKeysAsListed(t *testing.T) {
	tests := []struct{ key, want string }{
		{"photos/a.jpg", "photos/a.jpg"},
		{"red flower.jpg", "red flower.jpg"},
		{"фото.jpg", "фото.jpg"},
		{"%zz.jpg", "%zz.jpg"}, // no valid escape: read raw only
		{"a+b.jpg", "a%2Bb.jpg"},
		{"%41.jpg", "%2541.jpg"},
	}
	for _, tt := range tests {
		if got := eventKey(tt.key); got != tt.want {
			t.Errorf("eventKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
