package s3events

import (
	"fmt"
	"sync"
	"time"
)

// Sequencer hands out S3 event sequencers: hex strings that grow with every call, so a
// consumer can order events for one key. Seeded from the clock, they keep growing across
// restarts of the local cloud.
type Sequencer struct {
	mu   sync.Mutex
	last uint64
	now  func() time.Time
}

// Next returns a sequencer greater than every one returned before.
func (s *Sequencer) Next() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	n := uint64(now().UnixNano())
	if n <= s.last {
		n = s.last + 1
	}
	s.last = n
	return fmt.Sprintf("%016X", n)
}
