package backfill

import (
	"math"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

func TestConfigWithDefaults(t *testing.T) {
	c := Config{Bucket: "photos", Function: "f"}.WithDefaults()
	if c.Prefix != contract.DefaultOutputPrefix || c.Thumbnail != contract.DefaultThumbnail() || c.Rate != DefaultRate ||
		c.Concurrency != DefaultConcurrency || c.Checkpoint != "backfill-photos.json" || c.CheckpointEvery != DefaultCheckpointEvery {
		t.Errorf("defaults not applied: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
	kept := Config{Bucket: "b", Prefix: "thumbs/", Rate: 3, Concurrency: 2, Checkpoint: "x.json"}.WithDefaults()
	if kept.Prefix != "thumbs/" || kept.Rate != 3 || kept.Concurrency != 2 || kept.Checkpoint != "x.json" {
		t.Errorf("set fields overwritten: %+v", kept)
	}
}

func TestConfigValidate(t *testing.T) {
	valid := Config{Bucket: "photos", Function: "f"}.WithDefaults()
	tests := []struct {
		name   string
		change func(*Config)
		want   string // "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"dry run needs no function", func(c *Config) { c.Function, c.DryRun = "", true }, ""},
		{"no bucket", func(c *Config) { c.Bucket = "" }, "bucket: not set"},
		{"no function", func(c *Config) { c.Function = "" }, "function: not set"},
		{"zero rate", func(c *Config) { c.Rate = 0 }, "rate 0: must be"},
		{"negative rate", func(c *Config) { c.Rate = -1 }, "rate -1: must be"},
		{"infinite rate", func(c *Config) { c.Rate = math.Inf(1) }, "rate +Inf: must be"},
		{"NaN rate", func(c *Config) { c.Rate = math.NaN() }, "rate NaN: must be"},
		{"zero concurrency", func(c *Config) { c.Concurrency = 0 }, "concurrency 0: must be 1-1000"},
		{"too much concurrency", func(c *Config) { c.Concurrency = 1001 }, "concurrency 1001: must be 1-1000"},
		{"no checkpoint", func(c *Config) { c.Checkpoint = "" }, "checkpoint: no file named"},
		{"no checkpoint interval", func(c *Config) { c.CheckpointEvery = 0 }, "checkpoint interval 0s"},
		{"prefix without slash", func(c *Config) { c.Prefix = "resized" }, `output prefix "resized" must end in "/"`},
		{"bad thumbnail size", func(c *Config) { c.Thumbnail.Width = 0 }, "thumbnail settings: size 0x128"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.change(&c)
			err := c.Validate()
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}
