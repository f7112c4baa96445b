package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// thumbnailClock notes when the function reports each thumbnail written, from its log
// lines as they arrive: the function logs "thumbnail written" once its PUT succeeded.
type thumbnailClock struct {
	mu sync.Mutex
	at map[string]time.Time // by original key; the first report counts
}

func newThumbnailClock() *thumbnailClock { return &thumbnailClock{at: map[string]time.Time{}} }

// observe reads one line of the local cloud's output.
func (c *thumbnailClock) observe(line string) {
	if !strings.HasPrefix(line, "{") || !strings.Contains(line, `"thumbnail written"`) {
		return
	}
	now := time.Now()
	var f logFields
	if json.Unmarshal([]byte(line), &f) != nil || f.Msg != "thumbnail written" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, seen := c.at[f.Key]; !seen {
		c.at[f.Key] = now
	}
}

func (c *thumbnailClock) when(key string) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.at[key]
	return t, ok
}

// loadFigures sums up a load run.
type loadFigures struct {
	uploads int
	// elapsed runs from the first upload's start to the last thumbnail, summed over rounds.
	elapsed time.Duration
	// p50 and p99 are end-to-end latencies: from an upload's return to its thumbnail
	// written (0 when the thumbnail came first, which the event's early start allows).
	p50, p99 time.Duration
}

// throughput is thumbnails made per second, end to end.
func (f loadFigures) throughput() float64 { return float64(f.uploads) / f.elapsed.Seconds() }

func (f loadFigures) String() string {
	return fmt.Sprintf("%d uploads in %v: %.1f thumbnails/s end to end, latency upload done -> thumbnail written p50 %v, p99 %v",
		f.uploads, f.elapsed.Round(time.Millisecond), f.throughput(), f.p50.Round(100*time.Microsecond), f.p99.Round(100*time.Microsecond))
}

// loadRound is one batch of uploads and when it began.
type loadRound struct {
	began   time.Time
	uploads []upload
}

// measureLoad computes the figures of rounds run one after the other; every accepted
// upload must have its thumbnail's time.
func measureLoad(clock *thumbnailClock, rounds ...loadRound) (loadFigures, error) {
	var latencies []time.Duration
	var elapsed time.Duration
	for _, r := range rounds {
		last := r.began
		for _, u := range r.uploads {
			if u.err != nil {
				continue
			}
			at, ok := clock.when(u.key)
			if !ok {
				return loadFigures{}, fmt.Errorf("%s: no thumbnail was reported", u.key)
			}
			latencies = append(latencies, max(0, at.Sub(u.done)))
			if at.After(last) {
				last = at
			}
		}
		elapsed += last.Sub(r.began)
	}
	if len(latencies) == 0 {
		return loadFigures{}, fmt.Errorf("no upload was accepted")
	}
	slices.Sort(latencies)
	return loadFigures{uploads: len(latencies), elapsed: elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99)}, nil
}

// percentile is the nearest-rank p-th percentile of sorted, which must not be empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"one value", []time.Duration{7}, 50, 7},
		{"one value, p99", []time.Duration{7}, 99, 7},
		{"median of four", []time.Duration{1, 2, 3, 4}, 50, 2},
		{"p50 of 100", hundred, 50, 50 * time.Millisecond},
		{"p99 of 100", hundred, 99, 99 * time.Millisecond},
		{"p100 of 100", hundred, 100, 100 * time.Millisecond},
		{"p0 is the least", hundred, 0, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}
