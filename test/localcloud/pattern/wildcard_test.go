package pattern

import "testing"

func TestWildcard(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"a*", "a", true},
		{"a*", "ba", false},
		{"*.png", "dir/x.png", true},
		{"*.png", "x.png.txt", false},
		{"*/lib/*", "/usr/lib/libc.so", true},
		{"*/lib/*", "/usr/libexec/x", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "acb", false},
		{"a*aa", "aa", false},
		{"a*aa", "aaa", true},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
		{`a\\b`, `a\b`, true},
		{"日*本", "日本", true},
		{"日*本", "日x本", true},
	}
	for _, tt := range tests {
		w, err := compileWildcard(tt.pattern, "p")
		if err != nil {
			t.Fatalf("compileWildcard(%q): %v", tt.pattern, err)
		}
		if got := w.match(tt.s); got != tt.want {
			t.Errorf("%q match %q = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
