package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

const usageHead = `usage: backfill -bucket NAME -function NAME|ARN [flags]

Makes the bucket consistent: every original gets an up-to-date thumbnail under
the prefix, every thumbnail whose original is gone is removed. The deployed
function does the work: the backfill sends it, by asynchronous invoke, the event
S3 would have sent. -size, -mode and -quality must be the function's settings:
they tell an up-to-date thumbnail from a stale one.

The region and credentials come from the AWS environment (AWS_REGION,
AWS_PROFILE, ...). -endpoint points both S3 and Lambda at a local cloud.

With -batch -role-arn ARN, the work is an S3 Batch Operations job instead: a
CSV manifest of the originals that need a thumbnail is uploaded under
thumbnail-jobs/, the job invokes the function once per original, and the
command follows it to its end (orphans are left to a run without -batch).

`

// options is a parsed command line.
type options struct {
	cfg backfill.Config
	// endpoint is the URL of a local cloud serving S3 and Lambda, or "".
	endpoint string
	// batch runs the backfill as an S3 Batch Operations job: see batch.go.
	batch batchOptions
}

// errHelp reports that -h was asked for: the usage is printed, nothing else to do.
var errHelp = flag.ErrHelp

// parseFlags reads the command line; usage and flag errors go to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	cfg := backfill.Config{Thumbnail: contract.Default().Thumbnail}
	flags := flag.NewFlagSet("backfill", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usageHead)
		flags.PrintDefaults()
	}
	flags.StringVar(&cfg.Bucket, "bucket", "", "the bucket of originals and thumbnails (required)")
	flags.StringVar(&cfg.Function, "function", "", "the thumbnail function's `name or ARN` (required, but for -dry-run)")
	flags.StringVar(&cfg.Prefix, "prefix", contract.DefaultOutputPrefix, "the function's output `prefix`")
	opts := &cfg.Thumbnail
	flags.Func("size", "the function's thumbnail box `WxH` (default "+contract.FormatSize(opts.Width, opts.Height)+")", func(s string) error {
		w, h, err := contract.ParseSize(s)
		opts.Width, opts.Height = w, h
		return err
	})
	flags.Func("mode", "the function's fit mode: fill, fit or stretch (default "+string(opts.Mode)+")", func(s string) error {
		opts.Mode = s
		return contract.ValidateMode(s)
	})
	flags.IntVar(&opts.Quality, "quality", opts.Quality, "the function's JPEG quality `N`, 1-100")
	flags.Func("rate", "most events handed to the function per second (default "+strconv.Itoa(backfill.DefaultRate)+")", func(s string) error {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || r <= 0 {
			return errors.New("want a number of events per second above 0")
		}
		cfg.Rate = r
		return nil
	})
	flags.Func("concurrency", "most keys checked or invoked at once (default "+strconv.Itoa(backfill.DefaultConcurrency)+")", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > backfill.MaxConcurrency {
			return fmt.Errorf("want a whole number 1-%d", backfill.MaxConcurrency)
		}
		cfg.Concurrency = n
		return nil
	})
	flags.BoolVar(&cfg.DryRun, "dry-run", false, "check everything, invoke nothing: print what would be done")
	flags.BoolVar(&cfg.Resume, "resume", false, "continue an interrupted run from its checkpoint")
	flags.StringVar(&cfg.Checkpoint, "checkpoint", "", "the checkpoint `file` (default backfill-BUCKET.json)")
	flags.StringVar(&o.endpoint, "endpoint", "", "`URL` of a local cloud serving S3 and Lambda, e.g. http://127.0.0.1:4566")

	o.batch.register(flags)

	if err := flags.Parse(args); err != nil {
		return o, err // flag has printed the error and the usage
	}
	usage := func(format string, a ...any) (options, error) {
		err := fmt.Errorf(format, a...)
		fmt.Fprintf(stderr, "backfill: %v\n", err)
		flags.Usage()
		return o, err
	}
	if flags.NArg() > 0 {
		return usage("unexpected argument %q: every setting is a flag", flags.Arg(0))
	}
	if cfg.Bucket == "" {
		return usage("-bucket is required")
	}
	if cfg.Function == "" && !cfg.DryRun {
		return usage("-function is required (only -dry-run does without)")
	}
	if err := o.batch.check(cfg); err != nil {
		return usage("%v", err)
	}
	o.cfg = cfg.WithDefaults()
	if err := o.cfg.Validate(); err != nil {
		return usage("%v", err)
	}
	return o, nil
}
