// Command bootstrap is the Lambda function. It reads its configuration and
// builds its S3 client once per cold start, then serves S3 events with the
// handler package, logging JSON to stderr and writing metrics to stdout. It
// only wires; the logic lives in handler and thumbnail.
package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/handler"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

func main() {
	cfg, err := contract.FromEnv(os.Getenv)
	if err != nil {
		fail("invalid configuration", err)
	}
	log, err := handler.NewLogger(os.Stderr, cfg.LogLevel)
	if err != nil {
		fail("invalid configuration", err)
	}
	// WebAssembly codecs compile on first use; /tmp keeps them for a restart
	// in the same environment, and a configured WebP or AVIF output starts
	// compiling its encoder now, in the background.
	thumbnail.UseCodecCache(filepath.Join(os.TempDir(), "thumbnail-codecs"))
	thumbnail.PrepareEncoder(thumbnail.Format(cfg.Thumbnail.Format))
	client, err := handler.NewS3Client(context.Background(), cfg.S3PathStyle)
	if err != nil {
		fail("cannot build the S3 client", err)
	}
	// lambdacontext.FunctionName is AWS_LAMBDA_FUNCTION_NAME, set by Lambda and
	// by the runtime emulator. Metrics go to stdout, which Lambda also ships to
	// CloudWatch Logs, where they are extracted from the log lines.
	h, err := handler.New(cfg, client, log, handler.WithMetrics(os.Stdout, lambdacontext.FunctionName))
	if err != nil {
		fail("cannot build the handler", err)
	}
	// Invoke answers S3 Batch Operations invocations and hands every other event to Handle.
	lambda.Start(h.Invoke)
}

// fail logs one JSON line, shaped as the handler's are, and exits 1, so a bad
// cold start fails fast and visibly.
func fail(msg string, err error) {
	log, lerr := handler.NewLogger(os.Stderr, "error")
	if lerr != nil {
		log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	log.Error(msg, "error", err.Error())
	os.Exit(1)
}
