package s3events

import (
	"fmt"
	"strings"
)

// KeyEncoding says how object keys are written into events.
type KeyEncoding string

const (
	// KeyURL form-URL-encodes keys the way S3 event notifications do ("red flower.jpg"
	// becomes "red+flower.jpg", "+" becomes "%2B"), leaving "/" as is.
	KeyURL KeyEncoding = "url"
	// KeyRaw writes keys unchanged. AWS documents neither encoding for S3 events on
	// EventBridge; the best public evidence (an AWS sample tested with real events and
	// keys such as "test+b.png") says they arrive raw, so this is the default. The
	// function is tested against both encodings.
	KeyRaw KeyEncoding = "raw"
)

// DefaultKeyEncoding is how event keys are written unless told otherwise.
const DefaultKeyEncoding = KeyRaw

// ParseKeyEncoding reads "url" or "raw".
func ParseKeyEncoding(s string) (KeyEncoding, error) {
	switch e := KeyEncoding(s); e {
	case KeyURL, KeyRaw:
		return e, nil
	}
	return "", fmt.Errorf("key encoding %q: want url or raw", s)
}

// Encode writes key in encoding e.
func (e KeyEncoding) Encode(key string) string {
	if e == KeyRaw {
		return key
	}
	return formEncode(key)
}

// formEncode is application/x-www-form-urlencoded encoding as S3 applies it to keys:
// letters, digits and "-_.*" stay, a space becomes "+", "/" stays (it separates the
// "folders" rules match on by prefix), every other byte becomes %XX. url.QueryEscape
// differs on "*", "~" and "/", hence this function.
func formEncode(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '*', c == '/':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
