package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1   // some keys failed, or the run could not go on
	exitUsage       = 2   // the command line is wrong
	exitInterrupted = 130 // stopped by a signal; the checkpoint is saved
)

// run is the whole command: parse, build the clients, run the backfill, print
// the report; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "backfill: %v\n", err)
		return exitFailed
	}
	c, err := newClients(ctx, opts.endpoint)
	if err != nil {
		return fail(err)
	}
	cfg := opts.cfg
	cfg.Region = c.region
	if opts.batch.enabled {
		return runBatch(ctx, cfg, opts.batch, c, stdout, stderr)
	}
	var invoker backfill.Invoker
	if !cfg.DryRun {
		invoker = c.lambda
	}
	runner, err := backfill.New(cfg, c.s3, invoker, stdout, backfill.NewProgress(stderr, isTerminal(stderr)))
	if err != nil {
		return fail(err)
	}
	report, runErr := runner.Run(ctx)
	if report.Summary.Handled() > 0 || runErr == nil {
		if err := report.Render(stdout); err != nil {
			return fail(err)
		}
	}
	switch {
	case runErr != nil:
		return fail(runErr)
	case report.Interrupted:
		return exitInterrupted
	case report.Summary.Failed > 0:
		return exitFailed
	}
	return exitOK
}

// isTerminal reports whether w is a terminal, where progress redraws one line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
