package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// benchOriginals is how many originals each way of backfilling makes thumbnails for.
const benchOriginals = 1000

// BenchmarkBackfillWays backfills the same bucket of 1,000 small originals (loaded with
// the trigger off) on the local cloud in each way, and reports originals made per
// second, from the command's start until the last thumbnail is written:
//
//	listing        make backfill as it is, at its default rate (50 events/s)
//	listing-rate0  make backfill with -rate 100000, so only the function limits it
//	batch          make backfill -batch: an S3 Batch Operations job (one task an invocation)
//
// Both ways run the function in the template's execution environments (2), so the
// figures compare the hand-over, not the image work. Run it with
//
//	go test -run '^$' -bench BackfillWays -benchtime 1x ./test/e2e/
func BenchmarkBackfillWays(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "backfill")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := toolchain.Build(ctx, root, "./function/cmd/backfill", bin); err != nil {
		b.Fatal(err)
	}
	ways := []struct {
		name string
		args []string
	}{
		{"listing", nil},
		{"listing-rate0", []string{"-rate", "100000"}},
		{"batch", []string{"-batch", "-role-arn", batchRoleARN, "-poll", "50ms"}},
	}
	for _, way := range ways {
		b.Run(way.name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				b.StopTimer()
				cloud, prefix := startBenchCloud(b)
				client := s3client.New(cloud.URL())
				for i := range benchOriginals {
					_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(cloud.Bucket()),
						Key: aws.String(fmt.Sprintf("bench/%04d.png", i)), Body: bytes.NewReader(smallPNG(b, i))})
					if err != nil {
						b.Fatal(err)
					}
				}
				cloud.SetTrigger(localcloud.TriggerOn)
				args := append([]string{"-endpoint", cloud.URL(), "-bucket", cloud.Bucket(), "-function", cloud.FunctionName(),
					"-checkpoint", filepath.Join(b.TempDir(), "cp.json")}, way.args...)
				cmd := exec.CommandContext(ctx, bin, args...)
				cmd.Env = isolatedEnv(b)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				b.StartTimer()
				started := time.Now()
				if err := cmd.Run(); err != nil {
					b.Fatalf("backfill %v: %v\n%s", way.args, err, out.String())
				}
				if err := cloud.WaitIdle(ctx); err != nil {
					b.Fatal(err)
				}
				total += time.Since(started)
				b.StopTimer()
				if n := cloud.Writes(prefix + "bench/0999.png"); n != 1 {
					b.Fatalf("last original's thumbnail written %d times, want 1", n)
				}
			}
			b.ReportMetric(float64(benchOriginals*b.N)/total.Seconds(), "originals/s")
		})
	}
}

// startBenchCloud starts a local cloud with the trigger off, closed when b ends, and
// returns it with the function's output prefix.
func startBenchCloud(b *testing.B) (*localcloud.Cloud, string) {
	b.Helper()
	cloud, err := localcloud.Start(localcloud.Config{
		Template: template, Bootstrap: bins.Bootstrap, RIE: bins.RIE, Addr: "127.0.0.1:0", StateDir: b.TempDir(),
		Trigger: localcloud.TriggerOff,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cloud.Close(ctx); err != nil {
			b.Errorf("closing the local cloud: %v", err)
		}
	})
	return cloud, cloud.Stack().Function.Environment[contract.EnvOutputPrefix]
}
