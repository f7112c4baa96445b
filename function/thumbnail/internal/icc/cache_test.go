package icc

import "testing"

func TestLoadRemembers(t *testing.T) {
	p3 := displayP3()
	a, err := Load(p3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(append([]byte(nil), p3...))
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the same profile bytes built a second transform")
	}
	if a.Name != "Display P3" {
		t.Errorf("Name = %q, want Display P3", a.Name)
	}
	if _, err := Load(p3[:100]); err == nil {
		t.Error("truncated profile: no error")
	}
	if _, err := Load(p3[:100]); err == nil {
		t.Error("truncated profile, remembered: no error")
	}
	// More distinct profiles than the cache holds: the oldest is rebuilt.
	for i := range cacheSize {
		q := append([]byte(nil), p3...)
		q[44] = byte(i + 1) // header flags: same colours, other bytes
		if _, err := Load(q); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Load(p3)
	if err != nil {
		t.Fatal(err)
	}
	if c == a {
		t.Errorf("cache kept more than %d entries", cacheSize)
	}
	cache.Lock()
	n := len(cache.entries)
	cache.Unlock()
	if n > cacheSize {
		t.Errorf("%d entries, limit %d", n, cacheSize)
	}
}
