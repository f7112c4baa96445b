// Command localcloud runs the stack on this machine until interrupted: an S3 API on a
// loopback port whose writes trigger the real function under the Lambda runtime emulator,
// through the rule of the synthesized template. The cloud runs in a child process that
// the command watches: if it dies, the command says why in one line, and the events it
// had accepted are delivered at the next start.
//
//	go run ./test/cmd/localcloud [-addr 127.0.0.1:4566] [-state .local] [-template cdk.out/Thumbnails.template.json] [-versioned]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

func main() {
	err := run()
	var exit exitError
	if errors.As(err, &exit) {
		os.Exit(int(exit))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "localcloud:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", localcloud.DefaultAddr, "loopback `host:port` of the S3 API")
	state := flag.String("state", "", "`folder` for objects, binaries and failure records (default <repo>/.local)")
	template := flag.String("template", "", "synthesized `template` to run (default cdk.out/Thumbnails.template.json, synthesized when stale)")
	bucket := flag.String("bucket", cfn.DefaultBucketName, "bucket `name` when the template leaves it to CloudFormation")
	keys := flag.String("key-encoding", string(s3events.DefaultKeyEncoding), "how event keys are written: raw (as EventBridge most likely delivers them) or url (as S3 notifications)")
	versioned := flag.Bool("versioned", false, "keep objects in memory on a backend with bucket versioning (delete markers, deletes by version ID); objects are lost when the cloud stops")
	retryDelay := flag.Duration("retry-delay", time.Second, "wait before retrying a function error (Lambda waits about a minute)")
	flag.Parse()
	encoding, err := s3events.ParseKeyEncoding(*keys)
	if err != nil {
		return err
	}
	root, err := toolchain.RepoRoot(".")
	if err != nil {
		return err
	}
	if *state == "" {
		*state = filepath.Join(root, toolchain.StateDir)
	}
	if os.Getenv(envServe) == "" {
		return supervise(*state)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if *template == "" {
		if *template, err = toolchain.EnsureTemplate(ctx, root, os.Stdout); err != nil {
			return err
		}
	}
	bins, err := localcloud.Build(ctx, root, filepath.Join(*state, "bin"), os.Stdout)
	if err != nil {
		return err
	}
	cloud, err := localcloud.Start(localcloud.Config{
		Template: *template, Bootstrap: bins.Bootstrap, RIE: bins.RIE, Addr: *addr, StateDir: *state,
		BucketName: *bucket, KeyEncoding: encoding, RetryDelay: *retryDelay, Out: os.Stdout, Versioning: *versioned,
	})
	if err != nil {
		return err
	}
	fmt.Printf("==> local cloud ready\n%s\nTry:  aws --endpoint-url %s s3 cp photo.jpg s3://%s/\n"+
		"      make backfill ARGS=\"-endpoint %s -bucket %s -function %s\"\nStop: Ctrl-C\n\n",
		cloud.Summary(), cloud.URL(), cloud.Bucket(), cloud.URL(), cloud.Bucket(), cloud.FunctionName())

	<-ctx.Done()
	stop() // a second Ctrl-C ends the process at once
	fmt.Println("\n==> stopping: finishing invocations in progress (Ctrl-C again to quit now)")
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cloud.Close(closeCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
