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
