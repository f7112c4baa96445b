package main

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

func TestGCSettings(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		wantPercent int
		wantLimit   int64
		wantOK      bool
	}{
		{"no environment: collect only near the limit", nil, -1, oneShotMemoryLimit, true},
		{"GOGC set", map[string]string{"GOGC": "200"}, 100, 1<<63 - 1, false},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, 100, 1<<63 - 1, false},
		{"both set", map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, 100, 1<<63 - 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			percent, limit, ok := gcSettings(func(k string) string { return tt.env[k] })
			if percent != tt.wantPercent || limit != tt.wantLimit || ok != tt.wantOK {
				t.Errorf("gcSettings = %d, %d, %v; want %d, %d, %v", percent, limit, ok, tt.wantPercent, tt.wantLimit, tt.wantOK)
			}
		})
	}
}

func TestOneShotMemoryLimitAdmitsTheLargestDecode(t *testing.T) {
	// The decode budget is 4 bytes a pixel of the largest image admitted.
	largestSource, largestDecode := thumbnail.DefaultMaxBytes, 4*thumbnail.DefaultMaxPixels
	if oneShotMemoryLimit < largestSource+largestDecode {
		t.Errorf("limit %d is under the largest admitted source and decode, %d", oneShotMemoryLimit, largestSource+largestDecode)
	}
}
