package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// The load: loadUploads small images from loadClients clients at once.
const (
	loadUploads = 500
	loadClients = 8
	// loadImageSide keeps each image small, so the run measures the path an event takes
	// (S3 API, rule, queue, runtime, function) rather than the resizing.
	loadImageSide = 256
)

// tinyJPEG is a loadImageSide-pixel square JPEG.
func tinyJPEG(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, loadImageSide, loadImageSide))
	for y := range loadImageSide {
		for x := range loadImageSide {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 128, A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// loadKeys names n uploads under prefix.
func loadKeys(prefix string, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("%s%04d.jpg", prefix, i)
	}
	return keys
}

// loadRun is a cloud under load with what the tests read from it.
type loadRun struct {
	cloud *ownCloud
	clock *thumbnailClock
	image []byte
}

func startLoadRun(tb testing.TB) *loadRun {
	tb.Helper()
	clock := newThumbnailClock()
	return &loadRun{cloud: startOwnCloud(tb, tb.TempDir(), "127.0.0.1:0", clock.observe), clock: clock, image: tinyJPEG(tb)}
}

// round uploads keys from loadClients clients with the SDK's default retries and waits
// until the function has handled every event. Every upload must be accepted.
func (r *loadRun) round(tb testing.TB, keys []string) loadRound {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	began := time.Now()
	uploads := uploadParallel(ctx, uploadPlan{endpoint: r.cloud.URL(), bucket: r.cloud.Bucket(), keys: keys,
		body: r.image, contentType: "image/jpeg", clients: loadClients})
	for _, u := range uploads {
		if u.err != nil {
			tb.Fatalf("upload %s: %v", u.key, u.err)
		}
	}
	if err := r.cloud.WaitIdle(ctx); err != nil {
		tb.Fatal(err)
	}
	return loadRound{began: began, uploads: uploads}
}

// checkOneThumbnailEach checks that every key was invoked once, successfully, and that
// the S3 API saw its original and its thumbnail written exactly once.
func (r *loadRun) checkOneThumbnailEach(tb testing.TB, keys []string) {
	tb.Helper()
	prefix := r.cloud.Stack().Function.Environment[contract.EnvOutputPrefix]
	bad := 0
	for _, key := range keys {
		invs := r.cloud.Invocations(key)
		originals, thumbnails := r.cloud.Writes(key), r.cloud.Writes(prefix+key)
		if len(invs) != 1 || invs[0].Result.Failed() || originals != 1 || thumbnails != 1 {
			bad++
			if bad <= 10 {
				tb.Errorf("%s: %d invocations (%+v), %d writes of the original, %d of the thumbnail; want 1, 1, 1",
					key, len(invs), invs, originals, thumbnails)
			}
		}
	}
	if bad > 10 {
		tb.Errorf("... and %d keys more", bad-10)
	}
	if records, err := r.cloud.Failures().Records(); err != nil || len(records) != 0 {
		tb.Errorf("%d failure records (%v), want none", len(records), err)
	}
}

func TestLoadMakesOneThumbnailPerUpload(t *testing.T) {
	r := startLoadRun(t)
	keys := loadKeys("load/", loadUploads)
	round := r.round(t, keys)
	r.checkOneThumbnailEach(t, keys)
	a := accountForEveryUpload(t, viewOf(r.cloud.Cloud), keys)
	if len(a.thumbnailed) != loadUploads {
		t.Errorf("%d thumbnails read back, want %d", len(a.thumbnailed), loadUploads)
	}
	figures, err := measureLoad(r.clock, round)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load, %d clients, %dx%d JPEG: %v", loadClients, loadImageSide, loadImageSide, figures)
}

// BenchmarkLoad reports, over rounds of loadUploads uploads from loadClients clients,
// end-to-end throughput and the latency from an upload's return to its thumbnail.
func BenchmarkLoad(b *testing.B) {
	r := startLoadRun(b)
	var rounds []loadRound
	for b.Loop() {
		keys := loadKeys(fmt.Sprintf("load/round-%d/", len(rounds)), loadUploads)
		rounds = append(rounds, r.round(b, keys))
		r.checkOneThumbnailEach(b, keys)
	}
	figures, err := measureLoad(r.clock, rounds...)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d rounds, %d clients, %dx%d JPEG: %v", len(rounds), loadClients, loadImageSide, loadImageSide, figures)
	b.ReportMetric(figures.throughput(), "thumbnails/s")
	b.ReportMetric(float64(figures.p50)/float64(time.Millisecond), "p50-ms")
	b.ReportMetric(float64(figures.p99)/float64(time.Millisecond), "p99-ms")
}
