package main

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/image/webp"
)

// sampleJPEG is a 300x200 photo-like JPEG made for the tests.
func sampleJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decodeAs decodes data with the decoder of format and returns its size.
func decodeAs(t testing.TB, format string, data []byte) image.Point {
	t.Helper()
	decoders := map[string]func([]byte) (image.Image, error){
		"jpeg": func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
		"png":  func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
		"gif":  func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) },
		"webp": func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) },
	}
	img, err := decoders[format](data)
	if err != nil {
		t.Fatalf("output is not %s: %v", format, err)
	}
	return img.Bounds().Size()
}

// files is a fresh directory holding the sample inputs.
func files(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	truncatedJPEG := sampleJPEG(t)[:600]
	inputs := map[string][]byte{
		"photo.jpg":     sampleJPEG(t),
		"notes.jpg":     []byte("shopping list: eggs, milk\n"),
		"cut.jpg":       truncatedJPEG,
		"empty.png":     nil,
		"photo.jpg.bak": sampleJPEG(t),
	}
	for name, data := range inputs {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunMakesThumbnails(t *testing.T) {
	tests := []struct {
		name       string
		args       []string // IN and OUT are relative to the test directory
		stdin      bool     // feed photo.jpg on standard input
		wantFormat string
		wantSize   image.Point
	}{
		{"default size in the input's format", []string{"photo.jpg", "out.jpg"}, false, "jpeg", image.Pt(128, 128)},
		{"format from OUT's extension", []string{"photo.jpg", "out.png"}, false, "png", image.Pt(128, 128)},
		{"-format over the extension", []string{"-format", "webp", "photo.jpg", "out.png"}, false, "webp", image.Pt(128, 128)},
		{"gif output", []string{"-format=gif", "photo.jpg", "out.gif"}, false, "gif", image.Pt(128, 128)},
		{"unknown extension keeps the input's format", []string{"photo.jpg.bak", "out.thumb"}, false, "jpeg", image.Pt(128, 128)},
		{"size and fit", []string{"-size", "64x64", "-mode", "fit", "photo.jpg", "out.png"}, false, "png", image.Pt(64, 43)},
		{"stretch to a rectangle", []string{"-size", "50x20", "-mode", "stretch", "photo.jpg", "out.jpg"}, false, "jpeg", image.Pt(50, 20)},
		{"square size shorthand", []string{"-size", "32", "photo.jpg", "out.jpg"}, false, "jpeg", image.Pt(32, 32)},
		{"stdin to stdout", []string{"-", "-"}, true, "jpeg", image.Pt(128, 128)},
		{"stdin to a file", []string{"-quality", "40", "-", "out.png"}, true, "png", image.Pt(128, 128)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := files(t)
			t.Chdir(dir)
			var stdin bytes.Reader
			if tt.stdin {
				stdin.Reset(sampleJPEG(t))
			}
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdin, &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
			out := stdout.Bytes()
			if name := tt.args[len(tt.args)-1]; name != "-" {
				if stdout.Len() != 0 {
					t.Errorf("wrote %d bytes to stdout, want none", stdout.Len())
				}
				var err error
				if out, err = os.ReadFile(name); err != nil {
					t.Fatal(err)
				}
			}
			if size := decodeAs(t, tt.wantFormat, out); size != tt.wantSize {
				t.Errorf("thumbnail %v, want %v", size, tt.wantSize)
			}
		})
	}
}

// TestRunQuality checks -quality reaches the JPEG encoder.
func TestRunQuality(t *testing.T) {
	t.Chdir(files(t))
	sizes := map[string]int{}
	for _, q := range []string{"10", "95"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"-quality", q, "photo.jpg", "-"}, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		sizes[q] = stdout.Len()
	}
	if sizes["10"] >= sizes["95"] {
		t.Errorf("quality 10 gave %d bytes, quality 95 %d: want fewer at 10", sizes["10"], sizes["95"])
	}
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string // regular expression for the whole of stderr
	}{
		{"missing file", []string{"nope.jpg", "out.jpg"}, "",
			`thumbnail: nope\.jpg: no such file or directory\n`},
		{"text named .jpg", []string{"notes.jpg", "out.jpg"}, "",
			`thumbnail: notes\.jpg: unsupported format: not an image \(starts with text "shopping list: e"\)\n`},
		// The wording after "jpeg data:" is the decoder's own.
		{"truncated jpeg", []string{"cut.jpg", "out.jpg"}, "",
			`thumbnail: cut\.jpg: corrupt image: jpeg data: [^\n]+\n`},
		{"empty file", []string{"empty.png", "out.png"}, "",
			`thumbnail: empty\.png: unsupported format: empty input \(0 bytes\)\n`},
		{"text on stdin", []string{"-", "out.png"}, "hello",
			`thumbnail: -: unsupported format: not an image \(starts with text "hello"\)\n`},
		{"directory as input", []string{".", "out.png"}, "",
			`thumbnail: \.: is a directory\n`},
		{"unwritable output", []string{"photo.jpg", "no-such-dir/out.jpg"}, "",
			`thumbnail: no-such-dir/out\.jpg: no such file or directory\n`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(files(t))
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != exitInput {
				t.Errorf("exit %d, want %d", code, exitInput)
			}
			if !regexp.MustCompile(`\A` + tt.want + `\z`).MatchString(stderr.String()) {
				t.Errorf("stderr %q\nwant   /%s/", stderr.String(), tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("wrote %d bytes to stdout", stdout.Len())
			}
			if _, err := os.Stat(tt.args[len(tt.args)-1]); err == nil {
				t.Error("OUT was created for an input that failed")
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // first line of stderr
	}{
		{"no arguments", nil, "thumbnail: want IN and OUT, got 0 argument(s)"},
		{"only IN", []string{"photo.jpg"}, "thumbnail: want IN and OUT, got 1 argument(s)"},
		{"three files", []string{"a", "b", "c"}, "thumbnail: want IN and OUT, got 3 argument(s)"},
		{"bad size", []string{"-size", "big", "photo.jpg", "out.jpg"},
			`invalid value "big" for flag -size: size "big": want WxH with each side 1-4096`},
		{"zero size", []string{"-size", "0x10", "photo.jpg", "out.jpg"},
			`invalid value "0x10" for flag -size: size "0x10": want WxH with each side 1-4096`},
		{"bad mode", []string{"-mode", "zoom", "photo.jpg", "out.jpg"},
			`invalid value "zoom" for flag -mode: mode "zoom": want fill, fit or stretch`},
		{"bad format", []string{"-format", "bmp", "photo.jpg", "out.jpg"},
			`invalid value "bmp" for flag -format: format "bmp": want jpeg, png, gif, webp or avif`},
		{"quality 0", []string{"-quality", "0", "photo.jpg", "out.jpg"}, "thumbnail: quality 0: must be 1-100"},
		{"quality not a number", []string{"-quality", "high", "photo.jpg", "out.jpg"},
			`invalid value "high" for flag -quality: parse error`},
		{"unknown flag", []string{"-width", "5", "photo.jpg", "out.jpg"}, "flag provided but not defined: -width"},
		{"same file", []string{"photo.jpg", "./photo.jpg"}, "thumbnail: IN and OUT are the same file photo.jpg: the original would be overwritten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(files(t))
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, nil, &stdout, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			first, rest, _ := strings.Cut(stderr.String(), "\n")
			if first != tt.want {
				t.Errorf("first line %q\nwant       %q", first, tt.want)
			}
			if !strings.Contains(rest, "usage: thumbnail [-size WxH]") || !strings.Contains(rest, "-quality N") {
				t.Errorf("usage text missing from stderr:\n%s", stderr.String())
			}
			if _, err := os.Stat("out.jpg"); err == nil {
				t.Error("OUT was created on a usage error")
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-h"}, nil, &stdout, &stderr); code != exitOK {
		t.Errorf("exit %d, want %d", code, exitOK)
	}
	if !strings.HasPrefix(stderr.String(), "usage: thumbnail") {
		t.Errorf("help text %q", stderr.String())
	}
}
