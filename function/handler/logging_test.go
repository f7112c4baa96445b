package handler

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestNewLogger(t *testing.T) {
	tests := []struct {
		level    string
		wantMsgs []string
	}{
		{"debug", []string{"d", "i", "w", "e"}},
		{"info", []string{"i", "w", "e"}},
		{"warn", []string{"w", "e"}},
		{"error", []string{"e"}},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			var b bytes.Buffer
			log, err := NewLogger(&b, tt.level)
			if err != nil {
				t.Fatal(err)
			}
			log.Debug("d")
			log.Info("i")
			log.Warn("w")
			log.Error("e", FieldKey, "photos/cat.jpg")
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("not a JSON line: %q", line)
				}
				got = append(got, m["msg"].(string))
			}
			if strings.Join(got, ",") != strings.Join(tt.wantMsgs, ",") {
				t.Errorf("logged %q, want %q", got, tt.wantMsgs)
			}
		})
	}
	if _, err := NewLogger(&bytes.Buffer{}, "loud"); err == nil || !strings.Contains(err.Error(), `"loud"`) {
		t.Errorf("NewLogger(loud) = %v, want an error naming the level", err)
	}
}

func TestMillis(t *testing.T) {
	tests := []struct {
		in   int64 // microseconds
		want float64
	}{
		{0, 0}, {1, 0.001}, {1500, 1.5}, {2_000_000, 2000},
	}
	for _, tt := range tests {
		if got := millis(time.Duration(tt.in) * time.Microsecond); got != tt.want {
			t.Errorf("millis(%dµs) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestLogLinesCarryAnRFC3339Timestamp checks what Lambda's log-level filter
// reads: "level" and an RFC 3339 "timestamp"; slog's "time" must not remain.
func TestLogLinesCarryAnRFC3339Timestamp(t *testing.T) {
	var b bytes.Buffer
	log, err := NewLogger(&b, "debug")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	log.Error("e", FieldKey, "photos/cat.jpg")
	log.WithGroup("g").Info("i", "time", "caller's own")
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", lines)
	}
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if _, ok := m["time"]; ok {
			t.Errorf("line %s keeps slog's \"time\" key", line)
		}
		stamp, _ := m[FieldTimestamp].(string)
		at, err := time.Parse(time.RFC3339, stamp)
		if err != nil {
			t.Errorf("line %s: %s %q is not RFC 3339: %v", line, FieldTimestamp, stamp, err)
		} else if at.Before(before) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("line %s: %s %v is not the time of logging", line, FieldTimestamp, at)
		}
		if m["level"] == nil {
			t.Errorf("line %s has no level", line)
		}
	}
	var grouped map[string]any
	_ = json.Unmarshal([]byte(lines[1]), &grouped)
	if g, _ := grouped["g"].(map[string]any); g["time"] != "caller's own" {
		t.Errorf("a grouped \"time\" attribute was changed: %s", lines[1])
	}
}
