package thumbnail

import "testing"

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		err  bool
	}{
		{"jpeg", JPEG, false},
		{"JPG", JPEG, false},
		{"png", PNG, false},
		{"gif", GIF, false},
		{"WebP", WebP, false},
		{"bmp", "", true},
		{"", "", true},
		{".png", "", true},
		{"x.png", "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatFromName(t *testing.T) {
	tests := map[string]Format{
		"a.jpg": JPEG, "dir.png/A.JPEG": JPEG, "b.jfif": JPEG, "c.png": PNG, "d.gif": GIF,
		"e.webp": WebP, "f.bmp": "", "noext": "", "-": "", "g.jpg.txt": "",
	}
	for name, want := range tests {
		if got := FormatFromName(name); got != want {
			t.Errorf("FormatFromName(%q) = %q, want %q", name, got, want)
		}
	}
}
