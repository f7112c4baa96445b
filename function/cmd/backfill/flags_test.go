package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, o options)
	}{
		{"defaults", []string{"-bucket", "photos", "-function", "thumbs"}, func(t *testing.T, o options) {
			want := backfill.Config{Bucket: "photos", Function: "thumbs", Thumbnail: contract.DefaultThumbnail()}.WithDefaults()
			if o.cfg != want || o.endpoint != "" {
				t.Errorf("got %+v, endpoint %q; want %+v", o.cfg, o.endpoint, want)
			}
		}},
		{"everything set", []string{
			"-bucket", "photos", "-function", "arn:aws:lambda:eu-west-1:111122223333:function:thumbs",
			"-prefix", "thumbs/", "-size", "256x64", "-mode", "fit", "-quality", "70", "-rate", "12.5",
			"-concurrency", "3", "-resume", "-checkpoint", "/tmp/cp.json", "-endpoint", "http://127.0.0.1:4566",
		}, func(t *testing.T, o options) {
			c := o.cfg
			if c.Function != "arn:aws:lambda:eu-west-1:111122223333:function:thumbs" || c.Prefix != "thumbs/" ||
				c.Thumbnail.Width != 256 || c.Thumbnail.Height != 64 || c.Thumbnail.Mode != contract.ModeFit ||
				c.Thumbnail.Quality != 70 || c.Rate != 12.5 || c.Concurrency != 3 || !c.Resume ||
				c.Checkpoint != "/tmp/cp.json" || o.endpoint != "http://127.0.0.1:4566" {
				t.Errorf("got %+v, endpoint %q", c, o.endpoint)
			}
			if got := c.Thumbnail.Spec(); got != "256x64 fit q70" {
				t.Errorf("spec %q, want 256x64 fit q70", got)
			}
		}},
		{"dry run needs no function", []string{"-bucket", "photos", "-dry-run"}, func(t *testing.T, o options) {
			if !o.cfg.DryRun || o.cfg.Function != "" {
				t.Errorf("got %+v", o.cfg)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			o, err := parseFlags(tt.args, &stderr)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
			tt.check(t, o)
		})
	}
}

func TestParseFlagsRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // on stderr
	}{
		{"no bucket", []string{"-function", "f"}, "backfill: -bucket is required\n"},
		{"no function", []string{"-bucket", "b"}, "backfill: -function is required (only -dry-run does without)\n"},
		{"argument", []string{"-bucket", "b", "-function", "f", "photos"}, `backfill: unexpected argument "photos": every setting is a flag` + "\n"},
		{"bad size", []string{"-bucket", "b", "-function", "f", "-size", "big"}, `invalid value "big" for flag -size`},
		{"bad mode", []string{"-bucket", "b", "-function", "f", "-mode", "zoom"}, `mode "zoom": want fill, fit or stretch`},
		{"bad quality", []string{"-bucket", "b", "-function", "f", "-quality", "101"}, "backfill: thumbnail settings: quality 101: must be 1-100\n"},
		{"zero rate", []string{"-bucket", "b", "-function", "f", "-rate", "0"}, "want a number of events per second above 0"},
		{"word rate", []string{"-bucket", "b", "-function", "f", "-rate", "fast"}, "want a number of events per second above 0"},
		{"zero concurrency", []string{"-bucket", "b", "-function", "f", "-concurrency", "0"}, `invalid value "0" for flag -concurrency: want a whole number 1-1000`},
		{"prefix without slash", []string{"-bucket", "b", "-function", "f", "-prefix", "resized"}, `backfill: output prefix "resized" must end in "/"` + "\n"},
		{"unknown flag", []string{"-bucket", "b", "-function", "f", "-force"}, "flag provided but not defined: -force"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if _, err := parseFlags(tt.args, &stderr); err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tt.want)
			}
			if !strings.Contains(stderr.String(), "usage: backfill") {
				t.Errorf("no usage on stderr: %q", stderr.String())
			}
		})
	}
}

func TestParseFlagsHelp(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseFlags([]string{"-h"}, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("error %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"usage: backfill", "-dry-run", "-resume", "-endpoint", "-rate", "-concurrency"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stderr.String())
		}
	}
}
