// Fuzz targets for event parsing and for the handler's entry point.
//
// Plain `go test ./function/handler/` runs every seed: the event fixtures under
// testdata/ and the inputs kept under testdata/fuzz/<target>/. To fuzz, one
// target at a time, from the repository root:
//
//	go test ./function/handler/ -run '^$' -fuzz '^FuzzDecode$' -fuzztime 60s
//	go test ./function/handler/ -run '^$' -fuzz '^FuzzCandidateKeys$' -fuzztime 60s
//	go test ./function/handler/ -run '^$' -fuzz '^FuzzHandle$' -fuzztime 60s
//
// An input that fails is written to testdata/fuzz/<target>/; once fixed, keep
// it there so every later test run replays it.

package handler

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// addEventSeeds seeds a fuzz target with every event fixture, the fixtures'
// keys in each encoding that matters, and the shapes Decode must refuse.
func addEventSeeds(f *testing.F) {
	fixtures, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range fixtures {
		f.Add(readFixture(f, filepath.Base(name)))
	}
	for _, key := range []string{"photos/red+flower.jpg", "photos/a%2Bb.jpg", "photos/100%.png", "photos/%zz",
		"resized%2Fcat.png", "photos/caf%C3%A9.webp", "photos/%FF.png", "photos/folder/", "+"} {
		f.Add(makeEvent(f, s3Put, key, 4))
		f.Add(makeEvent(f, ebCreated, key, noSize))
		f.Add(makeEvent(f, s3Delete, key, noSize))
	}
	for _, payload := range []string{
		`{}`, `[]`, `null`, `{"Records": null}`, `{"Records": [{}]}`, `{"Event": "s3:TestEvent"}`,
		`{"source": "aws.s3", "detail-type": "Object Created", "detail": {}}`,
		`{"source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {"name": "b"}, "object": {"key": "k", "size": -1}}}`,
	} {
		f.Add([]byte(payload))
	}
}

// FuzzDecode checks that no input makes Decode panic, that it either refuses
// an input with an ErrUnknownEvent or returns records that each name an
// object when they ask for work, and that no reading of a key is longer than
// the key as it came.
func FuzzDecode(f *testing.F) {
	addEventSeeds(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		records, err := Decode(payload)
		if err != nil {
			if !errors.Is(err, ErrUnknownEvent) {
				t.Fatalf("error %v does not wrap ErrUnknownEvent", err)
			}
			if records != nil {
				t.Fatalf("records %+v returned with error %v", records, err)
			}
			return
		}
		if len(records) == 0 {
			t.Fatal("no records and no error")
		}
		for i, r := range records {
			switch r.Action {
			case ActionCreated, ActionDeleted:
				if r.Bucket == "" || r.Key == "" {
					t.Fatalf("record %d %+v asks for work but names no bucket or key", i, r)
				}
			case ActionIgnored:
			default:
				t.Fatalf("record %d has unknown action %q", i, r.Action)
			}
			checkKeyReadings(t, r.Key)
		}
	})
}

// FuzzCandidateKeys checks the readings of any key: one or two, none longer
// than the key, the raw key always among them.
func FuzzCandidateKeys(f *testing.F) {
	for _, key := range []string{"photos/cat.jpg", "red+flower.jpg", "a%2Bb", "100%", "%zz", "%", "%C3%A9", "%FF", "+", ""} {
		f.Add(key)
	}
	f.Fuzz(func(t *testing.T, key string) {
		checkKeyReadings(t, key)
	})
}

// checkKeyReadings fails unless candidateKeys(key) is the key alone, or a
// different decoded reading followed by the key; no reading is longer than
// the key, and a reading of a key is never empty.
func checkKeyReadings(t *testing.T, key string) {
	t.Helper()
	keys := candidateKeys(key)
	switch {
	case len(keys) == 1 && keys[0] != key:
		t.Fatalf("candidateKeys(%q) = %q: a single reading must be the key itself", key, keys)
	case len(keys) == 2 && (keys[1] != key || keys[0] == key):
		t.Fatalf("candidateKeys(%q) = %q: want a different decoded reading, then the key", key, keys)
	case len(keys) < 1 || len(keys) > 2:
		t.Fatalf("candidateKeys(%q) = %q: want one or two readings", key, keys)
	}
	for _, k := range keys {
		if len(k) > len(key) {
			t.Fatalf("candidateKeys(%q) reads it as %q, %d bytes longer", key, k, len(k)-len(key))
		}
		if key != "" && k == "" {
			t.Fatalf("candidateKeys(%q) reads it as the empty key", key)
		}
	}
}

// knownReasons are every Reason dimension value a fault-free S3 can lead to:
// fuzzed input must never create a new one, or a metric per input.
var knownReasons = []string{
	SkipOutputPrefix, SkipFolder, SkipEmpty, SkipTooLarge, SkipGone, SkipUpToDate, SkipStillExists, SkipEventType,
	RejectUnsupported, RejectTooLarge, RejectCorrupt, RejectImage, RejectNotS3Event, RejectIncompleteRecord,
	RejectUnknownAction, RejectOutsidePrefix, RejectKeyTooLong,
}

// FuzzHandle sends any input to the handler's entry point, over an in-memory
// S3 holding an original for every object created and a stand-in image core.
// Nothing may fail or panic, nothing outside the output prefix may be written
// or deleted, and exactly one valid EMF document is written for each record
// (or one for an input refused whole), with a known reason.
func FuzzHandle(f *testing.F) {
	addEventSeeds(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		fake := newFakeS3()
		records, decodeErr := Decode(payload)
		for _, r := range records {
			if r.Action == ActionCreated {
				fake.add(r.Bucket, candidateKeys(r.Key)[0], []byte(sourceBody))
			}
		}
		h, logs, metrics := newMeteredHandler(t, fake, &fakeMaker{})

		if err := h.Handle(context.Background(), json.RawMessage(payload)); err != nil {
			t.Fatalf("Handle = %v: nothing here can fail for a retry", err)
		}

		for _, e := range logs.withLevel(t, "ERROR") {
			if msg, _ := e["msg"].(string); strings.Contains(msg, "panic") {
				t.Fatalf("handling panicked: %v", e)
			}
		}
		assertOnlyOutputsWritten(t, fake)
		want := len(records)
		if decodeErr != nil {
			want = 1
		}
		docs := emfDocuments(t, metrics.Bytes())
		if len(docs) != want {
			t.Fatalf("%d EMF documents for %d records (decode error: %v)", len(docs), len(records), decodeErr)
		}
		for _, doc := range docs {
			if count, _ := countOf(t, doc); count.reason != "" && !slices.Contains(knownReasons, count.reason) {
				t.Fatalf("reason %q is not a known dimension value", count.reason)
			}
		}
	})
}
