// Command backfill makes a bucket consistent with its thumbnails: every
// original gets an up-to-date thumbnail, every thumbnail whose original is
// gone is removed. It hands the work to the deployed function by asynchronous
// invokes, at a bounded rate; see run.go for the flags.
//
// Ctrl-C (or SIGTERM) stops it cleanly: invokes already started finish, the
// checkpoint is saved, and -resume continues later. A second Ctrl-C exits at once.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the next signal takes its default course: exit at once
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
