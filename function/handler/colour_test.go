package handler

import (
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// withICC puts an ICC profile into a JPEG as one APP2 ICC_PROFILE segment.
func withICC(jpg, profile []byte) []byte {
	seg := append([]byte("ICC_PROFILE\x00\x01\x01"), profile...)
	out := append([]byte(nil), jpg[:2]...)
	out = append(out, 0xFF, 0xE2, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// TestCreatedRecordsSourceProfile checks the thumbnail's metadata names the
// colour space it was converted from, and the log says when a profile was
// not used.
func TestCreatedRecordsSourceProfile(t *testing.T) {
	p3, err := os.ReadFile("../thumbnail/internal/icc/testdata/DisplayP3.icc")
	if err != nil {
		t.Fatal(err)
	}
	source := encodeJPEG(t, gradient(300, 200))
	tests := []struct {
		name, key    string
		data         []byte
		wantProfile  string // metadata and log
		wantFallback bool   // log field colour_fallback
	}{
		{"Display P3", "photos/p3.jpg", withICC(source, p3), "Display P3", false},
		{"broken profile", "photos/broken.jpg", withICC(source, p3[:200]), "", true},
		{"untagged", "photos/plain.jpg", source, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			fake.add(testBucket, tt.key, tt.data)
			h, logs := newTestHandler(t, fake, nil)
			h.cfg = contract.Default()
			if err := handle(t, h, makeEvent(t, ebCreated, tt.key, int64(len(tt.data)))); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			thumb := fake.get(testBucket, contract.DefaultOutputPrefix+tt.key)
			if thumb == nil {
				t.Fatalf("no thumbnail; log: %v", logs.entries(t))
			}
			got, has := thumb.metadata[contract.MetaSourceProfile]
			if got != tt.wantProfile || has != (tt.wantProfile != "") {
				t.Errorf("metadata %s = %q (present %v), want %q", contract.MetaSourceProfile, got, has, tt.wantProfile)
			}
			var written map[string]any
			for _, e := range logs.entries(t) {
				if e["msg"] == "thumbnail written" {
					written = e
				}
			}
			if written == nil {
				t.Fatalf("no \"thumbnail written\" log line: %v", logs.entries(t))
			}
			if p, _ := written[FieldSourceProfile].(string); p != tt.wantProfile {
				t.Errorf("log %s = %q, want %q", FieldSourceProfile, p, tt.wantProfile)
			}
			if f, _ := written[FieldColourFallback].(string); (f != "") != tt.wantFallback {
				t.Errorf("log %s = %q, want present: %v", FieldColourFallback, f, tt.wantFallback)
			}
		})
	}
}
