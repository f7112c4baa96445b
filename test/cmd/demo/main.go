// Command demo runs the product once on the sample images of test/testdata/demo through
// the local cloud, prints what it made and writes demo-out/contact-sheet.png. It exits 0
// when every good image got its thumbnail.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/serverless-thumbnails/thumbnails/test/demo"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := toolchain.RepoRoot(".")
	if err == nil {
		_, err = demo.Run(ctx, demo.Options{Root: root, Out: os.Stdout})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
	fmt.Println("\nEvery good image got its thumbnail.")
}
