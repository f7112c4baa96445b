package main

import (
	"slices"
	"time"
)

// median of a sample; the mean of the middle two for an even count, 0 when empty.
func median[T ~int64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// series collects the runs of one tool on one input.
type series struct {
	cpu, wall []time.Duration
	rss       []int64
}

func (s *series) add(u usage) {
	s.cpu = append(s.cpu, u.cpu)
	s.wall = append(s.wall, u.wall)
	s.rss = append(s.rss, u.maxRSS)
}

// summary is the medians of a series.
type summary struct {
	cpu, wall time.Duration
	maxRSS    int64
}

func (s *series) summary() summary {
	return summary{cpu: median(s.cpu), wall: median(s.wall), maxRSS: median(s.rss)}
}
