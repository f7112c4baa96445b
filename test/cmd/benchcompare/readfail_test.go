package main

import (
	"errors"
	"fmt"
	"testing"
)

// sharpHEICError is what sharp 0.35.6's prebuilt binaries (libvips 8.18.8,
// libheif 1.23.7) threw for the 12 MP HEIC source on linux-x64.
const sharpHEICError = `source: bad seek to 4098726
source: bad seek to 4098710
source: bad seek to 4098702
source: bad seek to 4098698
source: bad seek to 4098696
source: bad seek to 4098695
heif: Error while loading plugin: Support for this compression format has not been built in: HEVC (a suitable decoder plugin is libde265) (11.6003)`

func TestClassifyReadError(t *testing.T) {
	tests := []struct {
		name, tool, lib, source, message string
		wantReason                       string // "" when it is not a read failure
	}{
		{"sharp prebuilt without HEVC", "sharp", "prebuilt libheif", "in/heic-12mp.heic", sharpHEICError,
			"cannot read HEIC: prebuilt libheif has no HEVC decoder"},
		{"libheif 1.14-1.18 without a decoder plugin", "vipsthumbnail", "its libheif", "in/avif-12mp.avif",
			"heifload: No decoding plugin installed for this compression format (4.4)",
			"cannot read AVIF: its libheif has no AV1 decoder"},
		{"old libheif without the codec", "vipsthumbnail", "its libheif", "x.HEIC",
			"VipsForeignLoad: heifload: Unsupported feature: Unsupported codec (4.3000)",
			"cannot read HEIC: its libheif has no HEVC decoder"},
		{"libvips without a HEIF loader", "vipsthumbnail", "its libheif", "in/heic-12mp.heic",
			`VipsForeignLoad: "in/heic-12mp.heic" is not a known file format`,
			"cannot read HEIC: no loader for it"},
		{"sharp without a HEIF loader", "sharp", "prebuilt libheif", "in/avif-12mp.avif",
			"Input buffer contains unsupported image format",
			"cannot read AVIF: no loader for it"},
		{"a damaged file is a real failure", "sharp", "prebuilt libheif", "in/avif-12mp.avif",
			"heif: Invalid input: Unexpected end of file (2.100)", ""},
		{"out of memory is a real failure", "vipsthumbnail", "its libheif", "in/heic-12mp.heic",
			"vipsthumbnail: out of memory", ""},
		{"nothing printed is a real failure", "vipsthumbnail", "its libheif", "in/heic-12mp.heic", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := classifyReadError(tt.tool, tt.lib, tt.source, tt.message)
			if ok != (tt.wantReason != "") || got.reason != tt.wantReason {
				t.Fatalf("classifyReadError = %q, %v; want %q", got.reason, ok, tt.wantReason)
			}
			if ok && (got.message != tt.message || got.tool != tt.tool || !got.cannot()) {
				t.Errorf("failure %+v does not keep the tool and its message verbatim", got)
			}
		})
	}
}

// TestCannotReadOnlyFirstRound checks that only the first round's failure of
// the other tool counts as "cannot read": our own command failing, or a
// tool failing after it read the source before, stops the run.
func TestCannotReadOnlyFirstRound(t *testing.T) {
	vipsErr := fmt.Errorf("wrapped: %w", &toolError{command: "vipsthumbnail", err: errors.New("exit status 1"),
		stderr: "heifload: No decoding plugin installed for this compression format (4.4)"})
	sharpErr := fmt.Errorf("x.heic: %w", &sharpError{message: sharpHEICError})
	tests := []struct {
		name string
		ok   bool
		call func() (readFailure, bool)
	}{
		{"vips, round 0", true, func() (readFailure, bool) { return vipsCannotRead(0, 0, "x.heic", vipsErr) }},
		{"vips, round 2", false, func() (readFailure, bool) { return vipsCannotRead(2, 0, "x.heic", vipsErr) }},
		{"ours, round 0", false, func() (readFailure, bool) { return vipsCannotRead(0, 1, "x.heic", vipsErr) }},
		{"vips, not a tool error", false, func() (readFailure, bool) {
			return vipsCannotRead(0, 0, "x.heic", errors.New("No decoding plugin installed for this compression format"))
		}},
		{"sharp, round 0", true, func() (readFailure, bool) { return sharpCannotRead(0, "x.heic", sharpErr) }},
		{"sharp, round 1", false, func() (readFailure, bool) { return sharpCannotRead(1, "x.heic", sharpErr) }},
		{"sharp, no error", false, func() (readFailure, bool) { return sharpCannotRead(0, "x.heic", nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := tt.call(); ok != tt.ok {
				t.Errorf("cannot read = %v, want %v", ok, tt.ok)
			}
		})
	}
}

func TestThumbExt(t *testing.T) {
	for source, want := range map[string]string{
		"a/jpeg-12mp.jpg": ".jpg", "a/png-12mp.png": ".png", "a/heic-12mp.heic": ".jpg",
		"a/b.HEIF": ".jpg", "a/avif-12mp.avif": ".jpg",
	} {
		if got := thumbExt(source); got != want {
			t.Errorf("thumbExt(%s) = %s, want %s", source, got, want)
		}
	}
}

func TestSelectTargets(t *testing.T) {
	tests := []struct {
		only    string
		want    []string
		wantErr bool
	}{
		{"", []string{"jpeg-12mp", "jpeg-24mp", "jpeg-12mp-progressive", "png-12mp", "heic-12mp", "avif-12mp"}, false},
		{"avif-12mp, heic-12mp", []string{"heic-12mp", "avif-12mp"}, false},
		{"heic-12mp,webp-12mp", nil, true},
	}
	for _, tt := range tests {
		got, err := selectTargets(targets, tt.only)
		if (err != nil) != tt.wantErr {
			t.Errorf("selectTargets(%q) error %v, want error %v", tt.only, err, tt.wantErr)
			continue
		}
		var names []string
		for _, g := range got {
			names = append(names, g.name)
		}
		if fmt.Sprint(names) != fmt.Sprint(tt.want) {
			t.Errorf("selectTargets(%q) = %v, want %v", tt.only, names, tt.want)
		}
	}
}
