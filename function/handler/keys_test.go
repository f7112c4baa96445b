package handler

import (
	"slices"
	"testing"
)

func TestCandidateKeys(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []string
	}{
		{"plain", "photos/cat.jpg", []string{"photos/cat.jpg"}},
		{"nested folders", "a/b/c/d/e.png", []string{"a/b/c/d/e.png"}},
		{"space encoded as plus", "photos/red+flower.jpg", []string{"photos/red flower.jpg", "photos/red+flower.jpg"}},
		{"space encoded as %20", "photos/red%20flower.jpg", []string{"photos/red flower.jpg", "photos/red%20flower.jpg"}},
		{"space not encoded", "photos/red flower.jpg", []string{"photos/red flower.jpg"}},
		{"plus encoded", "photos/a%2Bb.jpg", []string{"photos/a+b.jpg", "photos/a%2Bb.jpg"}},
		{"percent encoded", "photos/100%25.png", []string{"photos/100%.png", "photos/100%25.png"}},
		{"bare percent cannot decode", "photos/100%.png", []string{"photos/100%.png"}},
		{"percent then hex digits", "photos/50%41.png", []string{"photos/50A.png", "photos/50%41.png"}},
		{"unicode encoded", "photos/caf%C3%A9/%E6%97%A5%E6%9C%AC.jpg", []string{"photos/café/日本.jpg", "photos/caf%C3%A9/%E6%97%A5%E6%9C%AC.jpg"}},
		{"unicode not encoded", "photos/café/日本.jpg", []string{"photos/café/日本.jpg"}},
		{"encoded slash", "photos%2Fcat.jpg", []string{"photos/cat.jpg", "photos%2Fcat.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := candidateKeys(tt.raw); !slices.Equal(got, tt.want) {
				t.Errorf("candidateKeys(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
