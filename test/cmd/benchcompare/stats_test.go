package main

import (
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []int64
		want int64
	}{
		{"empty", nil, 0},
		{"one", []int64{7}, 7},
		{"odd, unsorted", []int64{9, 1, 5}, 5},
		{"even: mean of the middle two", []int64{4, 1, 10, 2}, 3},
		{"outlier ignored", []int64{3, 3, 1000, 3, 2}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.in); got != tt.want {
				t.Errorf("median(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
	if got := median([]time.Duration{3 * time.Millisecond, time.Millisecond, 2 * time.Millisecond}); got != 2*time.Millisecond {
		t.Errorf("median of durations = %v, want 2ms", got)
	}
}
