package backfill

import (
	"slices"
	"testing"
)

func TestFrontier(t *testing.T) {
	tests := []struct {
		name     string
		start    string // "" with startSet false: from the beginning
		startSet bool
		keys     []string
		done     []int // indexes into keys, in the order they finish
		after    string
		afterSet bool
		beyond   []string
		settled  bool
	}{
		{name: "nothing listed", settled: true},
		{name: "nothing done", keys: []string{"a", "b"}},
		{name: "in order", keys: []string{"a", "b", "c"}, done: []int{0, 1, 2}, after: "c", afterSet: true, settled: true},
		{name: "out of order, a gap", keys: []string{"a", "b", "c", "d"}, done: []int{0, 2, 3}, after: "a", afterSet: true, beyond: []string{"c", "d"}},
		{name: "gap at the start", keys: []string{"a", "b", "c"}, done: []int{2, 1}, beyond: []string{"b", "c"}},
		{name: "gap filled last", keys: []string{"a", "b", "c"}, done: []int{2, 1, 0}, after: "c", afterSet: true, settled: true},
		{name: "done twice", keys: []string{"a", "b"}, done: []int{0, 0, 1}, after: "b", afterSet: true, settled: true},
		{name: "resumed, nothing new", start: "m", startSet: true, after: "m", afterSet: true, settled: true},
		{name: "resumed", start: "m", startSet: true, keys: []string{"n", "o", "p"}, done: []int{0, 2}, after: "n", afterSet: true, beyond: []string{"p"}},
		{name: "resumed after the empty key", start: "", startSet: true, keys: []string{"a"}, after: "", afterSet: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFrontier(tt.start, tt.startSet)
			seqs := make([]uint64, len(tt.keys))
			for i, k := range tt.keys {
				seqs[i] = f.add(k)
			}
			for _, i := range tt.done {
				f.done(seqs[i])
			}
			after, ok, beyond := f.resumePoint()
			if after != tt.after || ok != tt.afterSet || !slices.Equal(beyond, tt.beyond) {
				t.Errorf("resume point (%q, %v, %q), want (%q, %v, %q)", after, ok, beyond, tt.after, tt.afterSet, tt.beyond)
			}
			if f.settled() != tt.settled {
				t.Errorf("settled %v, want %v", f.settled(), tt.settled)
			}
		})
	}
}

// TestFrontierHoldsOnlyTheWindow checks that memory follows the keys in flight, not the bucket.
func TestFrontierHoldsOnlyTheWindow(t *testing.T) {
	f := newFrontier("", false)
	const window = 8
	var inFlight []uint64
	for i := range 100_000 {
		inFlight = append(inFlight, f.add(string(rune('a'+i%26))))
		if len(inFlight) == window {
			// finish the window in reverse order
			for j := len(inFlight) - 1; j >= 0; j-- {
				f.done(inFlight[j])
			}
			inFlight = inFlight[:0]
		}
		if len(f.pending) > window {
			t.Fatalf("%d keys held with %d in flight", len(f.pending), window)
		}
	}
}
