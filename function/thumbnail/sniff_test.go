package thumbnail

import (
	"bytes"
	"testing"
)

// TestSniff checks formats are told by their magic numbers only.
func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Format
	}{
		{"jpeg", []byte("\xFF\xD8\xFF\xE0rest"), JPEG},
		{"png", []byte("\x89PNG\r\n\x1A\nrest"), PNG},
		{"gif87a", []byte("GIF87a...."), GIF},
		{"gif89a", []byte("GIF89a...."), GIF},
		{"webp", []byte("RIFF\x10\x20\x00\x00WEBPVP8 "), WebP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &job{data: tt.data}
			if err := sniff(j); err != nil {
				t.Fatal(err)
			}
			if j.format != tt.want {
				t.Errorf("sniffed %q, want %q", j.format, tt.want)
			}
		})
	}
}

// TestSniffRefuses checks what is not a supported image gets ErrUnsupported
// with a reason that says what the bytes look like.
func TestSniffRefuses(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"zero bytes", nil, "empty input (0 bytes)"},
		{"html named photo.jpg", []byte("<!DOCTYPE html>\n<html><body>404</body></html>"),
			`not an image (starts with text "<!DOCTYPE html>\n")`},
		{"unicode text", []byte("héllo wörld, ça va? ok"), `not an image (starts with text "héllo wörld, ")`},
		{"binary", []byte{0, 1, 2, 3, 0xFE, 0xFF, 7}, "not an image (starts with bytes 00 01 02 03 fe ff 07)"},
		{"mp4 video", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), "not a supported image (looks like MP4/QuickTime video)"},
		{"tiff", []byte("II*\x00\x08\x00\x00\x00"), "not a supported image (looks like TIFF)"},
		{"bmp", []byte("BM\x36\x00\x00\x00"), "not a supported image (looks like BMP)"},
		{"pdf", []byte("%PDF-1.7\n"), "not a supported image (looks like PDF)"},
		{"riff that is not webp", []byte("RIFF\x10\x00\x00\x00WAVEfmt "), `not an image (starts with bytes 52 49 46 46 10 00 00 00 57 41 56 45 66 6d 74 20)`},
		{"jpeg magic cut short", []byte{0xFF, 0xD8}, "not an image (starts with bytes ff d8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Make(bytes.NewReader(tt.data), Options{})
			if e := wantKind(t, err, ErrUnsupported); e.Reason != tt.reason {
				t.Errorf("reason %s\nwant   %s", e.Reason, tt.reason)
			}
		})
	}
}
