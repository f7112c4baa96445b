package s3events

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

var update = flag.Bool("update", false, "rewrite the golden event files")

func TestBuildGolden(t *testing.T) {
	when := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		golden string
		keys   KeyEncoding
		change s3server.Change
	}{
		{"created.json", KeyURL, s3server.Change{Created: true, Reason: s3server.ReasonPut, Bucket: "images", Key: "my photos/red flower+bee.jpg",
			Size: 5, ETag: "b1946ac92492d2347c6235b4d2611184", RequestID: "0000000000000001", SourceIP: "127.0.0.1", Time: when}},
		{"created-raw-key.json", KeyRaw, s3server.Change{Created: true, Reason: s3server.ReasonCompleteUpload, Bucket: "images", Key: "my photos/red flower+bee.jpg",
			Size: 5, ETag: "b1946ac92492d2347c6235b4d2611184", RequestID: "0000000000000002", SourceIP: "127.0.0.1", Time: when}},
		{"deleted.json", KeyURL, s3server.Change{Reason: s3server.ReasonDelete, Bucket: "images", Key: "100%/日本.png",
			DeletionType: s3server.DeletionPermanent, RequestID: "0000000000000003", SourceIP: "127.0.0.1", Time: when}},
		{"created-versioned.json", KeyURL, s3server.Change{Created: true, Reason: s3server.ReasonPut, Bucket: "images", Key: "photo.jpg",
			Size: 5, ETag: "b1946ac92492d2347c6235b4d2611184", VersionID: "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
			RequestID: "0000000000000004", SourceIP: "127.0.0.1", Time: when}},
		{"deleted-marker.json", KeyURL, s3server.Change{Reason: s3server.ReasonDelete, Bucket: "images", Key: "photo.jpg",
			VersionID: "1D2zPQfxoO0Fcg8Fz8cFMI0ydkXHPVE.", DeletionType: s3server.DeletionMarkerCreated,
			RequestID: "0000000000000005", SourceIP: "127.0.0.1", Time: when}},
		{"deleted-version.json", KeyURL, s3server.Change{Reason: s3server.ReasonDelete, Bucket: "images", Key: "photo.jpg",
			VersionID: "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", DeletionType: s3server.DeletionPermanent,
			RequestID: "0000000000000006", SourceIP: "127.0.0.1", Time: when}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			b := &Builder{Region: "us-east-1", Account: "000000000000", Keys: tt.keys,
				newID:     func() string { return "17793124-05d4-b198-2fde-7ededc63b103" },
				Sequencer: Sequencer{now: func() time.Time { return when }}}
			data, err := b.Build(tt.change).JSON()
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, data, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("event differs from %s:\n%s", path, pretty.Bytes())
			}
		})
	}
}

func TestKeyEncoding(t *testing.T) {
	tests := []struct {
		key, url string
	}{
		{"photo.jpg", "photo.jpg"},
		{"red flower.jpg", "red+flower.jpg"},
		{"my photos/red flower+bee.jpg", "my+photos/red+flower%2Bbee.jpg"},
		{"100%/a:b=c&d.png", "100%25/a%3Ab%3Dc%26d.png"},
		{"日本.png", "%E6%97%A5%E6%9C%AC.png"},
		{"a~b*c-d_e", "a%7Eb*c-d_e"},
		{"resized/x y.jpg", "resized/x+y.jpg"},
	}
	for _, tt := range tests {
		if got := KeyURL.Encode(tt.key); got != tt.url {
			t.Errorf("KeyURL.Encode(%q) = %q, want %q", tt.key, got, tt.url)
		}
		if got := KeyRaw.Encode(tt.key); got != tt.key {
			t.Errorf("KeyRaw.Encode(%q) = %q", tt.key, got)
		}
	}
	for _, s := range []string{"url", "raw"} {
		if _, err := ParseKeyEncoding(s); err != nil {
			t.Errorf("ParseKeyEncoding(%q): %v", s, err)
		}
	}
	if _, err := ParseKeyEncoding("base64"); err == nil {
		t.Error("ParseKeyEncoding accepted base64")
	}
}

func TestSequencerGrows(t *testing.T) {
	frozen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Sequencer{now: func() time.Time { return frozen }}
	prev := ""
	for i := 0; i < 5; i++ {
		next := s.Next()
		if len(next) != 16 || next <= prev {
			t.Fatalf("sequencer %d = %q after %q", i, next, prev)
		}
		prev = next
	}
}

// TestDefaultKeyEncodingIsRaw: EventBridge most likely delivers keys unencoded, so a
// Builder left at its zero value writes them as they are.
func TestDefaultKeyEncodingIsRaw(t *testing.T) {
	e := (&Builder{}).Build(s3server.Change{Created: true, Bucket: "images", Key: "my photos/a+b c.jpg"})
	if got := e.Detail.Object.Key; got != "my photos/a+b c.jpg" {
		t.Errorf("default builder wrote key %q, want it raw", got)
	}
}
