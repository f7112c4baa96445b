package icc

import (
	"crypto/sha256"
	"sync"
)

// cacheSize is how many transforms Load keeps. Photos from one camera or
// one print workflow carry the same profile, so a warm function builds each
// transform once; a press profile's tables take about 1 MiB.
const cacheSize = 8

// Loaded is a profile ready to convert with: its transform and its name.
type Loaded struct {
	// Transform converts the profile's device space to sRGB.
	Transform *Transform
	// Name is the profile's short name (Profile.Name).
	Name string
}

// cacheEntry is one remembered outcome of Load, failures included.
type cacheEntry struct {
	key    [sha256.Size]byte
	loaded *Loaded
	err    error
}

// cache holds the most recent outcomes of Load, oldest first.
var cache struct {
	sync.Mutex
	entries []cacheEntry
}

// Load parses a profile and builds its transform, remembering the last few
// profiles seen (by content), so repeated profiles cost a hash. Errors are
// remembered too.
func Load(data []byte) (*Loaded, error) {
	key := sha256.Sum256(data)
	cache.Lock()
	for _, e := range cache.entries {
		if e.key == key {
			cache.Unlock()
			return e.loaded, e.err
		}
	}
	cache.Unlock()
	loaded, err := load(data)
	cache.Lock()
	defer cache.Unlock()
	if len(cache.entries) == cacheSize {
		cache.entries = append(cache.entries[:0], cache.entries[1:]...)
	}
	cache.entries = append(cache.entries, cacheEntry{key, loaded, err})
	return loaded, err
}

// load parses and builds without the cache.
func load(data []byte) (*Loaded, error) {
	p, err := Parse(data)
	if err != nil {
		return nil, err
	}
	t, err := NewTransform(p)
	if err != nil {
		return nil, err
	}
	return &Loaded{Transform: t, Name: p.Name()}, nil
}
