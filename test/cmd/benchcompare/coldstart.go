package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// coldStarts summarizes the Init Duration of cold starts in the local cloud.
type coldStarts struct {
	n           int // cold starts measured; 0 when not measured
	median, max time.Duration
	platform    string // GOOS/GOARCH the function ran as
}

func (c coldStarts) ok() bool { return c.n == 0 || c.median <= maxInitDuration }

// summarizeColdStarts returns the median and maximum of the Init Durations.
func summarizeColdStarts(inits []time.Duration) (coldStarts, error) {
	if len(inits) == 0 {
		return coldStarts{}, errors.New("cold starts: none measured")
	}
	c := coldStarts{n: len(inits), median: median(inits)}
	for _, d := range inits {
		if d <= 0 {
			return coldStarts{}, fmt.Errorf("cold starts: Init Duration %v, want a positive one", d)
		}
		c.max = max(c.max, d)
	}
	return c, nil
}

// initDuration is the Init Duration of the one invocation of a fresh environment.
func initDuration(key string, invs []invoker.Invocation) (time.Duration, error) {
	if len(invs) != 1 {
		return 0, fmt.Errorf("cold start %s: %d invocations, want 1", key, len(invs))
	}
	inv := invs[0]
	switch {
	case inv.Err != nil:
		return 0, fmt.Errorf("cold start %s: %w", key, inv.Err)
	case inv.Result.Failed():
		return 0, fmt.Errorf("cold start %s: function error %s: %s", key, inv.Result.ErrorType, inv.Result.ErrorMessage)
	case inv.Result.InitDuration <= 0:
		return 0, fmt.Errorf("cold start %s: no Init Duration reported", key)
	}
	return inv.Result.InitDuration, nil
}

// measureColdStarts starts n local clouds one after another, each with fresh state, uploads
// one small JPEG to each and returns the summary of the invocations' Init Durations. The
// function runs as built for this machine, under the runtime interface emulator.
func measureColdStarts(ctx context.Context, n int) (coldStarts, error) {
	root, err := toolchain.RepoRoot(".")
	if err != nil {
		return coldStarts{}, err
	}
	template, err := toolchain.EnsureTemplate(ctx, root, os.Stderr)
	if err != nil {
		return coldStarts{}, err
	}
	tmp, err := os.MkdirTemp("", "benchcompare-coldstart")
	if err != nil {
		return coldStarts{}, err
	}
	defer os.RemoveAll(tmp)
	bins, err := localcloud.Build(ctx, root, filepath.Join(tmp, "bin"), os.Stderr)
	if err != nil {
		return coldStarts{}, err
	}
	photo, err := smallJPEG()
	if err != nil {
		return coldStarts{}, err
	}
	inits := make([]time.Duration, 0, n)
	for i := range n {
		d, err := coldStart(ctx, template, bins, filepath.Join(tmp, fmt.Sprintf("state-%d", i)), photo)
		if err != nil {
			return coldStarts{}, err
		}
		inits = append(inits, d)
		fmt.Fprintf(os.Stderr, "cold start %d of %d: Init Duration %.2f ms\n", i+1, n, d.Seconds()*1000)
	}
	c, err := summarizeColdStarts(inits)
	c.platform = runtime.GOOS + "/" + runtime.GOARCH
	return c, err
}

// coldStart runs one local cloud on free loopback ports, uploads photo and returns the Init
// Duration of the invocation it triggers.
func coldStart(ctx context.Context, template string, bins localcloud.Binaries, stateDir string, photo []byte) (d time.Duration, err error) {
	cloud, err := localcloud.Start(localcloud.Config{
		Template: template, Bootstrap: bins.Bootstrap, RIE: bins.RIE, Addr: "127.0.0.1:0", StateDir: stateDir, Out: io.Discard,
	})
	if err != nil {
		return 0, err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = errors.Join(err, cloud.Close(closeCtx))
	}()
	const key = "coldstart.jpg"
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	_, err = s3client.New(cloud.URL()).PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(cloud.Bucket()), Key: aws.String(key), Body: bytes.NewReader(photo), ContentType: aws.String("image/jpeg"),
	})
	if err != nil {
		return 0, fmt.Errorf("cold start: put %s: %w", key, err)
	}
	if err := cloud.WaitIdle(ctx); err != nil {
		return 0, fmt.Errorf("cold start: %w", err)
	}
	return initDuration(key, cloud.Invocations(key))
}

// smallJPEG encodes a 640x480 gradient.
func smallJPEG() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			img.Set(x, y, color.RGBA{R: uint8(x * 255 / 639), G: uint8(y * 255 / 479), B: 128, A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
