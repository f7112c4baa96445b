package contract

import (
	"strings"
	"testing"
)

func TestFromEnvRoundTripsEnv(t *testing.T) {
	want := Default()
	want.OutputPrefix = "thumbs/"
	want.Thumbnail.Width, want.Thumbnail.Height = 200, 100
	want.Thumbnail.Mode = "fit"
	want.Thumbnail.Quality = 70
	want.Thumbnail.Limits.MaxBytes = 1 << 20
	want.CacheControl = "no-cache"
	want.S3PathStyle = true
	env := want.Env()
	got, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("FromEnv(Env()) = %+v, want %+v", got, want)
	}
}

func TestFromEnvEmptyIsDefault(t *testing.T) {
	got, err := FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got != Default() {
		t.Fatalf("got %+v, want defaults", got)
	}
}

func TestFromEnvRejects(t *testing.T) {
	tests := []struct {
		name, key, value, wantErr string
	}{
		{"empty prefix after trim is default, so use bad suffix", EnvOutputPrefix, "resized", "must end in"},
		{"absolute prefix", EnvOutputPrefix, "/resized/", "must not start"},
		{"size word", EnvSize, "big", "size"},
		{"size zero", EnvSize, "0x128", "size"},
		{"size huge", EnvSize, "100000x1", "size"},
		{"mode", EnvMode, "crop", "mode"},
		{"quality range", EnvQuality, "101", "quality"},
		{"quality word", EnvQuality, "high", "whole number"},
		{"max bytes", EnvMaxBytes, "-1", "max bytes"},
		{"max pixels", EnvMaxPixels, "lots", "whole number"},
		{"log level", EnvLogLevel, "loud", "log level"},
		{"path style", EnvS3PathStyle, "sometimes", "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromEnv(func(k string) string {
				if k == tt.key {
					return tt.value
				}
				return ""
			})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestEnvOmitsPathStyleUnlessSet(t *testing.T) {
	if v, ok := Default().Env()[EnvS3PathStyle]; ok {
		t.Fatalf("Default().Env() sets %s=%q, want it absent", EnvS3PathStyle, v)
	}
	c := Default()
	c.S3PathStyle = true
	if got := c.Env()[EnvS3PathStyle]; got != "true" {
		t.Fatalf("Env()[%s] = %q, want \"true\"", EnvS3PathStyle, got)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		w, h int
		ok   bool
	}{
		{"128x128", 128, 128, true},
		{"64X32", 64, 32, true},
		{"256", 256, 256, true},
		{"x", 0, 0, false},
		{"12x", 0, 0, false},
		{"-1x5", 0, 0, false},
	}
	for _, tt := range tests {
		w, h, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || w != tt.w || h != tt.h {
			t.Errorf("ParseSize(%q) = %d, %d, %v", tt.in, w, h, err)
		}
	}
}

// TestValidatePrefixRefusesSpecialCharacters covers every character IAM resource
// ARNs or EventBridge patterns read as more than itself, and others outside the
// safe set: "t*/" would grant writes and deletes on "t*/*", originals included.
func TestValidatePrefixRefusesSpecialCharacters(t *testing.T) {
	for _, p := range []string{
		"t*/", "*/", "resized*/", "t?/", "${aws:username}/", "a$b/", "a{b}/", "a[b]/",
		"a b/", "a+b/", "a,b/", "a;b/", "a:b/", "a=b/", "a&b/", "a@b/", "a#b/", "a%b/",
		"a\\b/", "a\"b/", "a<b>/", "a|b/", "a^b/", "a~b/", "a`b/", "é/", "a\x00b/", "a\nb/", "a\tb/",
	} {
		err := ValidatePrefix(p)
		if err == nil || !strings.Contains(err.Error(), "is not allowed") || strings.Contains(err.Error(), "\n") {
			t.Errorf("ValidatePrefix(%q) = %v, want one line saying a character is not allowed", p, err)
		}
	}
	for _, p := range []string{"resized/", "thumbs/128/", "a-b_c.d/", "it's(small)!/", "Thumbs/"} {
		if err := ValidatePrefix(p); err != nil {
			t.Errorf("ValidatePrefix(%q) = %v, want nil", p, err)
		}
	}
	if _, err := FromEnv(func(k string) string {
		if k == EnvOutputPrefix {
			return "t*/"
		}
		return ""
	}); err == nil {
		t.Error(`FromEnv accepted output prefix "t*/"`)
	}
}
