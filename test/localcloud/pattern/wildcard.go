package pattern

import (
	"fmt"
	"strings"
)

// wildcard is a compiled wildcard operand: literal parts separated by '*', each '*'
// standing for any run of characters, possibly empty. path.Match and filepath.Match
// give '?', '[' and '/' meanings EventBridge does not, hence this small matcher.
type wildcard struct {
	parts []string // literal text between stars
	stars int      // len(parts)-1
}

// compileWildcard parses a wildcard operand. "\*" is a literal star and "\\" a literal
// backslash; two stars in a row are rejected, as EventBridge does.
func compileWildcard(arg any, path string) (*wildcard, error) {
	s, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("event pattern %s: want a string, got %s", path, kindOf(arg))
	}
	var parts []string
	var cur strings.Builder
	prevStar := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return nil, fmt.Errorf("event pattern %s: %q has an escape other than \\* or \\\\", path, s)
			}
			i++
			cur.WriteByte(s[i])
			prevStar = false
		case '*':
			if prevStar {
				return nil, fmt.Errorf("event pattern %s: %q has consecutive wildcard characters", path, s)
			}
			parts = append(parts, cur.String())
			cur.Reset()
			prevStar = true
		default:
			cur.WriteByte(c)
			prevStar = false
		}
	}
	parts = append(parts, cur.String())
	return &wildcard{parts: parts, stars: len(parts) - 1}, nil
}

// match reports whether s matches: the first part is a prefix, the last a suffix, and the
// middle parts occur in order in between (leftmost occurrence suffices).
func (w *wildcard) match(s string) bool {
	if w.stars == 0 {
		return s == w.parts[0]
	}
	first, last := w.parts[0], w.parts[len(w.parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	middle := s[len(first) : len(s)-len(last)]
	for _, part := range w.parts[1 : len(w.parts)-1] {
		i := strings.Index(middle, part)
		if i < 0 {
			return false
		}
		middle = middle[i+len(part):]
	}
	return true
}
