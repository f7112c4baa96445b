package thumbnail

import (
	"fmt"
	"unicode/utf8"
)

// signature is the magic prefix of one format, from its specification; each
// codec lists its own. mask has the prefix's length: where it holds 0xFF the
// byte must match, where it holds 0x00 any byte does.
type signature struct {
	prefix string
	mask   string
}

// lookalikes are formats people upload that the pipeline does not read,
// named so the error says what the bytes are.
var lookalikes = []struct {
	name   string
	prefix string
	mask   string
}{
	{"HEIF/HEIC", "\x00\x00\x00\x00ftypheic", "\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"},
	{"HEIF/HEIC", "\x00\x00\x00\x00ftypheix", "\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"},
	{"HEIF/HEIC", "\x00\x00\x00\x00ftypmif1", "\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"},
	{"AVIF", "\x00\x00\x00\x00ftypavif", "\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"},
	{"TIFF", "II*\x00", "\xFF\xFF\xFF\xFF"},
	{"TIFF", "MM\x00*", "\xFF\xFF\xFF\xFF"},
	{"BMP", "BM", "\xFF\xFF"},
	{"PDF", "%PDF-", "\xFF\xFF\xFF\xFF\xFF"},
	{"ZIP", "PK\x03\x04", "\xFF\xFF\xFF\xFF"},
	{"gzip", "\x1F\x8B", "\xFF\xFF"},
}

// sniff names the format from the first bytes. The object name is never consulted:
// a name is a claim, the bytes are the fact.
func sniff(j *job) error {
	for _, c := range codecs {
		for _, s := range c.signatures {
			if matches(j.data, s.prefix, s.mask) {
				j.format = c.format
				return nil
			}
		}
	}
	return unsupported("%s", describe(j.data))
}

func matches(data []byte, prefix, mask string) bool {
	if len(data) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if data[i]&mask[i] != prefix[i]&mask[i] {
			return false
		}
	}
	return true
}

// describe says in a few words what bytes that are not a supported image look like.
func describe(data []byte) string {
	if len(data) == 0 {
		return "empty input (0 bytes)"
	}
	for _, l := range lookalikes {
		if matches(data, l.prefix, l.mask) {
			return fmt.Sprintf("not a supported image (looks like %s)", l.name)
		}
	}
	head := data[:min(len(data), 16)]
	if looksLikeText(data[:min(len(data), 512)]) {
		return fmt.Sprintf("not an image (starts with text %q)", truncateRunes(head))
	}
	return fmt.Sprintf("not an image (starts with bytes % x)", head)
}

// looksLikeText reports whether b is valid UTF-8 without control characters
// other than tab, line feed and carriage return. A rune cut at the end of b is allowed.
func looksLikeText(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7F {
			return false
		}
		b = b[size:]
	}
	return true
}

// truncateRunes drops a rune cut at the end of b so the quoted text stays readable.
func truncateRunes(b []byte) string {
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b)
}
