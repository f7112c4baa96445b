package backfill

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCheckpointRoundTrip(t *testing.T) {
	after := "photos/b c+d ü.jpg"
	tests := []struct {
		name string
		cp   Checkpoint
	}{
		{"fresh", Checkpoint{Version: checkpointVersion, Bucket: "b", Prefix: "resized/", Spec: "128x128 fill q85"}},
		{"in progress", Checkpoint{
			Version: checkpointVersion, Bucket: "b", Prefix: "resized/", Spec: "128x128 fill q85",
			After: &after, Done: []string{"photos/x", "photos/z%41"},
			Summary: Summary{
				Created: map[string]int{ReasonMissing: 3}, UpToDate: 10, Removed: 1,
				Skipped: map[string]int{ReasonFolder: 2}, Failed: 1,
				Failures: []FailureGroup{{Reason: "invoke: TooManyRequestsException: Rate exceeded", Count: 1, Keys: []string{"photos/a"}}},
			},
			Saved: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "cp.json")
			if err := tt.cp.Save(path); err != nil {
				t.Fatal(err)
			}
			// Saving over an existing file replaces it.
			if err := tt.cp.Save(path); err != nil {
				t.Fatal(err)
			}
			got, err := LoadCheckpoint(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.cp) {
				t.Errorf("loaded %+v, saved %+v", got, tt.cp)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				t.Errorf("directory holds %d files after saving, want only the checkpoint (no temporary files left)", len(entries))
			}
		})
	}
}

func TestLoadCheckpointRefuses(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" for no file
		want    string
	}{
		{"missing", "", "no such file"},
		{"not JSON", "{broken", "not a checkpoint file"},
		{"other version", `{"version": 2, "bucket": "b"}`, "version 2, this backfill reads version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cp.json")
			if tt.content != "" {
				if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := LoadCheckpoint(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one naming %s and saying %q", err, path, tt.want)
			}
			if tt.content == "" && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v does not wrap fs.ErrNotExist", err)
			}
		})
	}
}

func TestCheckpointMatches(t *testing.T) {
	cp := Checkpoint{Bucket: "b", Prefix: "resized/", Spec: "128x128 fill q85"}
	tests := []struct {
		bucket, prefix, spec string
		want                 string
	}{
		{"b", "resized/", "128x128 fill q85", ""},
		{"other", "resized/", "128x128 fill q85", `for bucket "b", not "other"`},
		{"b", "thumbs/", "128x128 fill q85", `for prefix "resized/", not "thumbs/"`},
		{"b", "resized/", "64x64 fill q85", `for thumbnails "128x128 fill q85", not "64x64 fill q85"`},
	}
	for _, tt := range tests {
		err := cp.matches("cp.json", tt.bucket, tt.prefix, tt.spec)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("matches(%q, %q, %q) = %v, want %q", tt.bucket, tt.prefix, tt.spec, err, tt.want)
		}
	}
}

func TestCheckpointSaveFailsInAMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "cp.json")
	if err := (Checkpoint{Version: checkpointVersion}).Save(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want one naming %s", err, path)
	}
}

func TestRemoveCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cp.json")
	if err := (Checkpoint{Version: checkpointVersion}).Save(path); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time the file is already gone, which is fine
		if err := RemoveCheckpoint(path); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("checkpoint still there: %v", err)
	}
}
