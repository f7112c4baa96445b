package backfill

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// Defaults of a run.
const (
	// DefaultRate is how many events per second are handed to the function.
	// Lambda queues asynchronous events and scales to them; the bound keeps a
	// large backfill from taking the account's whole concurrency at once.
	DefaultRate = 50
	// DefaultConcurrency is how many keys are checked or invoked at once.
	DefaultConcurrency = 8
	// DefaultCheckpointEvery is how often the checkpoint is written during a run.
	DefaultCheckpointEvery = 5 * time.Second
	// MaxConcurrency bounds Concurrency.
	MaxConcurrency = 1000
)

// Config is one backfill.
type Config struct {
	// Bucket holds the originals and, under Prefix, their thumbnails.
	Bucket string
	// Function is the thumbnail function's name or ARN. Not needed for a dry run.
	Function string
	// Region is written in the events' "region" field. Default: "".
	Region string
	// Prefix is the function's output prefix. Default: contract.DefaultOutputPrefix.
	Prefix string
	// Thumbnail is the function's size, mode and quality, which name the
	// thumbnails it makes (see contract.Thumbnail.Spec). Default: contract.DefaultThumbnail().
	Thumbnail contract.Thumbnail
	// Rate is the most events handed to the function per second. Default: DefaultRate.
	Rate float64
	// Concurrency is the most keys checked or invoked at once. Default: DefaultConcurrency.
	Concurrency int
	// DryRun checks everything and invokes nothing; no checkpoint is written.
	DryRun bool
	// Resume continues from Checkpoint, which must exist. Without it, an
	// existing Checkpoint is refused, so no saved progress is lost by mistake.
	Resume bool
	// Checkpoint is the checkpoint file. Default: "backfill-<bucket>.json".
	Checkpoint string
	// CheckpointEvery is how often the checkpoint is written. Default: DefaultCheckpointEvery.
	CheckpointEvery time.Duration
}

// WithDefaults fills every zero field that has a default.
func (c Config) WithDefaults() Config {
	if c.Prefix == "" {
		c.Prefix = contract.DefaultOutputPrefix
	}
	if c.Thumbnail == (contract.Thumbnail{}) {
		c.Thumbnail = contract.DefaultThumbnail()
	}
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Checkpoint == "" && c.Bucket != "" {
		c.Checkpoint = "backfill-" + c.Bucket + ".json"
	}
	if c.CheckpointEvery == 0 {
		c.CheckpointEvery = DefaultCheckpointEvery
	}
	return c
}

// Validate reports the first setting that makes the run impossible.
func (c Config) Validate() error {
	switch {
	case c.Bucket == "":
		return errors.New("bucket: not set")
	case c.Function == "" && !c.DryRun:
		return errors.New("function: not set (only a dry run does without)")
	case math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) || c.Rate <= 0:
		return fmt.Errorf("rate %v: must be a number of events per second above 0", c.Rate)
	case c.Concurrency < 1 || c.Concurrency > MaxConcurrency:
		return fmt.Errorf("concurrency %d: must be 1-%d", c.Concurrency, MaxConcurrency)
	case c.Checkpoint == "":
		return errors.New("checkpoint: no file named")
	case c.CheckpointEvery <= 0:
		return fmt.Errorf("checkpoint interval %v: must be above 0", c.CheckpointEvery)
	}
	if err := contract.ValidatePrefix(c.Prefix); err != nil {
		return err
	}
	if err := c.Thumbnail.Validate(); err != nil {
		return fmt.Errorf("thumbnail settings: %w", err)
	}
	return nil
}
