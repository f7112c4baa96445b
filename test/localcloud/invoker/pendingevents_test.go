package invoker

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPendingEventsRoundTrip(t *testing.T) {
	q := &PendingEvents{Dir: filepath.Join(t.TempDir(), "queue")}
	base := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	events := []PendingEvent{
		{RequestID: "b", Key: "second.jpg", FirstSeen: base.Add(time.Second), Payload: json.RawMessage(`{"n":2}`)},
		{RequestID: "c", Key: "first.jpg", FirstSeen: base, Attempts: 2, LastErrorType: "errorString",
			LastResponse: json.RawMessage(`{"errorMessage":"SlowDown","errorType":"errorString"}`), Payload: json.RawMessage(`{"n":1}`)},
		{RequestID: "a", Key: "tie.jpg", FirstSeen: base, Payload: json.RawMessage(`{"n":3}`)},
	}
	for _, ev := range events {
		if err := q.save(ev); err != nil {
			t.Fatal(err)
		}
	}
	// Saving again replaces the file.
	events[0].Attempts = 1
	if err := q.save(events[0]); err != nil {
		t.Fatal(err)
	}
	got, err := q.List()
	if err != nil {
		t.Fatal(err)
	}
	want := []PendingEvent{events[2], events[1], events[0]} // oldest first, ties by request ID
	if len(got) != len(want) {
		t.Fatalf("listed %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if !equalEvents(got[i], want[i]) {
			t.Errorf("event %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if err := q.remove("c"); err != nil {
		t.Fatal(err)
	}
	if err := q.remove("c"); err != nil {
		t.Errorf("removing a removed event: %v", err)
	}
	if got, err := q.List(); err != nil || len(got) != 2 {
		t.Errorf("after remove: %+v, %v", got, err)
	}
	entries, err := os.ReadDir(q.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), fileSuffix) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// equalEvents compares events field by field, times by instant and JSON compacted.
func equalEvents(a, b PendingEvent) bool {
	compact := func(m json.RawMessage) string {
		var v any
		if len(m) == 0 || json.Unmarshal(m, &v) != nil {
			return string(m)
		}
		out, err := json.Marshal(v)
		if err != nil {
			return string(m)
		}
		return string(out)
	}
	if !a.FirstSeen.Equal(b.FirstSeen) || compact(a.Payload) != compact(b.Payload) || compact(a.LastResponse) != compact(b.LastResponse) {
		return false
	}
	a.FirstSeen, b.FirstSeen = time.Time{}, time.Time{}
	a.Payload, b.Payload, a.LastResponse, b.LastResponse = nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}

func TestPendingEventsResume(t *testing.T) {
	good := `{"requestId":"r1","key":"a.jpg","firstSeen":"2026-11-25T20:00:00Z","attempts":0,"payload":{}}`
	tests := []struct {
		name    string
		files   map[string]string
		want    []string // request IDs
		wantErr string
	}{
		{"empty folder", nil, nil, ""},
		{"one event", map[string]string{"r1.json": good}, []string{"r1"}, ""},
		{"a write cut short is dropped", map[string]string{"r1.json": good, ".r2-123.tmp": `{"requestId":"r2"`}, []string{"r1"}, ""},
		{"other files are ignored", map[string]string{"r1.json": good, "README": "notes"}, []string{"r1"}, ""},
		{"a damaged file is named", map[string]string{"r1.json": `{"requestId":`}, nil, "r1.json"},
		{"a file under another name is named", map[string]string{"r9.json": good}, nil, `request ID "r1"`},
		{"a file without payload is named", map[string]string{"r1.json": `{"requestId":"r1"}`}, nil, "0 payload bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &PendingEvents{Dir: t.TempDir()}
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(q.Dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := q.resume()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("resume: %v, want an error mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, ev := range got {
				ids = append(ids, ev.RequestID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("resumed %v, want %v", ids, tt.want)
			}
			if temps, err := filepath.Glob(filepath.Join(q.Dir, "*"+tempSuffix)); err != nil || len(temps) != 0 {
				t.Errorf("temporary files left: %v, %v", temps, err)
			}
		})
	}
}

func TestPendingEventsMissingFolderIsEmpty(t *testing.T) {
	q := &PendingEvents{Dir: filepath.Join(t.TempDir(), "never-made")}
	if got, err := q.resume(); err != nil || len(got) != 0 {
		t.Errorf("resume of a missing folder: %v, %v", got, err)
	}
}
