package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// Exit statuses.
const (
	exitOK    = 0
	exitInput = 1 // the input cannot be made into a thumbnail, or the output cannot be written
	exitUsage = 2 // the command line is wrong
)

// stdio is the file argument that means standard input or output.
const stdio = "-"

const usageHead = `usage: thumbnail [-size WxH] [-mode fill|fit|stretch] [-quality N] [-format jpeg|png|gif|webp] IN OUT

Makes a thumbnail of the image IN and writes it to OUT ("-" is standard input
or output). The output format is -format, else OUT's extension, else IN's format.

`

// run is the whole command: it parses args, makes the thumbnail and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts := thumbnail.DefaultOptions()
	flags := flag.NewFlagSet("thumbnail", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usageHead)
		flags.PrintDefaults()
	}
	flags.Func("size", "thumbnail box `WxH`, or N for NxN (default "+contract.FormatSize(opts.Width, opts.Height)+")", func(s string) error {
		w, h, err := contract.ParseSize(s)
		opts.Width, opts.Height = w, h
		return err
	})
	flags.Func("mode", "how the image fits the box: fill (cover, crop the centre), fit (inside, never enlarged) or stretch (default "+string(opts.Mode)+")", func(s string) error {
		m, err := thumbnail.ParseMode(s)
		opts.Mode = m
		return err
	})
	flags.IntVar(&opts.Quality, "quality", opts.Quality, "JPEG quality `N`, 1-100")
	flags.Func("format", "output format: jpeg, png, gif or webp (default: OUT's extension, else IN's format)", func(s string) error {
		f, err := thumbnail.ParseFormat(s)
		opts.Format = f
		return err
	})

	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage // flag has printed the error and the usage
	}
	usageError := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "thumbnail: "+format+"\n", a...)
		flags.Usage()
		return exitUsage
	}
	if flags.NArg() != 2 {
		return usageError("want IN and OUT, got %d argument(s)", flags.NArg())
	}
	in, out := flags.Arg(0), flags.Arg(1)
	if err := opts.Validate(); err != nil {
		return usageError("%v", err)
	}
	if sameFile(in, out) {
		return usageError("IN and OUT are the same file %s: the original would be overwritten", in)
	}
	if opts.Format == "" && out != stdio {
		opts.Format = thumbnail.FormatFromName(out) // empty for an unknown extension: IN's format
	}

	if err := makeThumbnail(in, out, stdin, stdout, opts); err != nil {
		fmt.Fprintf(stderr, "thumbnail: %v\n", err)
		return exitInput
	}
	return exitOK
}

// makeThumbnail reads in, makes its thumbnail and writes it to out. Errors
// name the file they are about. out is not created when in fails.
func makeThumbnail(in, out string, stdin io.Reader, stdout io.Writer, opts thumbnail.Options) error {
	src := stdin
	if in != stdio {
		f, err := os.Open(in)
		if err != nil {
			return fmt.Errorf("%s: %w", in, pathReason(err))
		}
		defer f.Close() // read-only: closing cannot lose data
		src = f
	}
	res, err := thumbnail.Make(src, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", in, pathReason(err))
	}
	if out == stdio {
		if _, err := stdout.Write(res.Data); err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
		return nil
	}
	if err := os.WriteFile(out, res.Data, 0o644); err != nil {
		return fmt.Errorf("%s: %w", out, pathReason(err))
	}
	return nil
}

// pathReason drops the operation and path an *fs.PathError repeats, since
// the message already starts with the file name.
func pathReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sameFile reports whether in and out name one existing file.
func sameFile(in, out string) bool {
	if in == stdio || out == stdio {
		return false
	}
	a, errA := os.Stat(in)
	b, errB := os.Stat(out)
	return errA == nil && errB == nil && os.SameFile(a, b)
}
