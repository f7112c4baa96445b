package handler

import (
	"slices"
	"strings"
	"testing"
)

const (
	ebDeleted          = "eventbridge-object-deleted.json"
	ebDeletedLifecycle = "eventbridge-object-deleted-lifecycle.json"
	s3Delete           = "s3-objectremoved-delete.json"
	s3DeleteMarker     = "s3-objectremoved-deletemarkercreated.json"
)

// TestDeleted drives Object Deleted events of both shapes: the thumbnail goes
// when its original is gone, stays when the original exists again, and nothing
// outside the output prefix is ever deleted.
func TestDeleted(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		eventKey string
		// originals and thumbnails present when the event arrives.
		originals, thumbnails []string
		inject                func(*fakeS3)
		retry                 bool
		wantLeft              []string // thumbnails still present afterwards
		wantDeletes           int
		wantSkips             []string
	}{
		{name: "EventBridge delete marker", fixture: ebDeleted, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg", "photos/dog.jpg"}, wantLeft: []string{"photos/dog.jpg"}, wantDeletes: 1},
		{name: "EventBridge lifecycle expiration", fixture: ebDeletedLifecycle, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantDeletes: 1},
		{name: "notification delete", fixture: s3Delete, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantDeletes: 1},
		{name: "notification delete marker", fixture: s3DeleteMarker, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantDeletes: 1},
		{name: "thumbnail already gone", fixture: s3Delete, eventKey: "photos/cat.jpg",
			wantDeletes: 1},
		{name: "re-upload raced the delete", fixture: ebDeleted, eventKey: "photos/cat.jpg",
			originals: []string{"photos/cat.jpg"}, thumbnails: []string{"photos/cat.jpg"},
			wantLeft: []string{"photos/cat.jpg"}, wantSkips: []string{SkipStillExists}},
		{name: "notification encoded space", fixture: s3Delete, eventKey: s3Encode("photos/red flower.jpg"),
			thumbnails: []string{"photos/red flower.jpg"}, wantDeletes: 2},
		{name: "notification unicode", fixture: s3DeleteMarker, eventKey: s3Encode("photos/café/日本.png"),
			thumbnails: []string{"photos/café/日本.png"}, wantDeletes: 2},
		{name: "EventBridge raw plus, other reading exists", fixture: ebDeleted, eventKey: "photos/a+b.jpg",
			originals: []string{"photos/a b.jpg"}, thumbnails: []string{"photos/a b.jpg", "photos/a+b.jpg"},
			wantLeft: []string{"photos/a b.jpg"}, wantDeletes: 1, wantSkips: []string{SkipStillExists}},
		{name: "thumbnail deleted", fixture: ebDeleted, eventKey: "resized/photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantLeft: []string{"photos/cat.jpg"}, wantSkips: []string{SkipOutputPrefix}},
		{name: "folder marker deleted", fixture: s3Delete, eventKey: "photos/",
			thumbnails: []string{"photos/cat.jpg"}, wantLeft: []string{"photos/cat.jpg"}, wantSkips: []string{SkipFolder}},
		{name: "original's headers unavailable", fixture: ebDeleted, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantLeft: []string{"photos/cat.jpg"}, retry: true,
			inject: func(f *fakeS3) { f.failOn("HeadObject", testBucket, "photos/cat.jpg", errUnavailable()) }},
		{name: "original's headers denied", fixture: ebDeleted, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantLeft: []string{"photos/cat.jpg"}, retry: true,
			inject: func(f *fakeS3) { f.failOn("HeadObject", testBucket, "photos/cat.jpg", errAccessDenied()) }},
		{name: "delete throttled", fixture: s3Delete, eventKey: "photos/cat.jpg",
			thumbnails: []string{"photos/cat.jpg"}, wantLeft: []string{"photos/cat.jpg"}, retry: true, wantDeletes: 1,
			inject: func(f *fakeS3) { f.failOn("DeleteObject", testBucket, "resized/photos/cat.jpg", errSlowDown()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			for _, k := range tt.originals {
				fake.add(testBucket, k, []byte("original "+k))
			}
			for _, k := range tt.thumbnails {
				fake.add(testBucket, "resized/"+k, []byte("thumbnail of "+k))
			}
			if tt.inject != nil {
				tt.inject(fake)
			}
			h, logs := newTestHandler(t, fake, &fakeMaker{})

			err := handle(t, h, makeEvent(t, tt.fixture, tt.eventKey, noSize))

			if (err != nil) != tt.retry {
				t.Fatalf("Handle = %v, want an error: %v", err, tt.retry)
			}
			assertOnlyOutputsWritten(t, fake)
			if got := fake.count("DeleteObject"); got != tt.wantDeletes {
				t.Errorf("DeleteObject calls = %d, want %d (%q)", got, tt.wantDeletes, fake.calls)
			}
			for _, k := range tt.thumbnails {
				left := fake.get(testBucket, "resized/"+k) != nil
				if want := slices.Contains(tt.wantLeft, k); left != want {
					t.Errorf("thumbnail of %q present = %v, want %v", k, left, want)
				}
			}
			for _, k := range tt.originals {
				if o := fake.get(testBucket, k); o == nil || string(o.body) != "original "+k {
					t.Errorf("original %q was modified or deleted", k)
				}
			}
			if got := logs.skips(t); !slices.Equal(got, tt.wantSkips) {
				t.Errorf("skips = %q, want %q", got, tt.wantSkips)
			}
			if n := fake.count("PutObject") + fake.count("GetObject"); n != 0 {
				t.Errorf("a deletion read or wrote objects: %q", fake.calls)
			}
			if !tt.retry {
				return
			}
			if errs := logs.withLevel(t, "ERROR"); len(errs) != 1 || !strings.Contains(errs[0][FieldReason].(string), "s3://uploads/") {
				t.Errorf("ERROR lines = %v, want one naming the object", errs)
			}
		})
	}
}
