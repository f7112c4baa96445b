package backfill

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/handler"
	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// pngOf returns a small PNG whose pixels depend on shade, so different shades
// have different ETags.
func pngOf(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			img.Set(x, y, color.NRGBA{R: shade, G: uint8(x * 6), B: uint8(y * 8), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newRealHandler is the function's handler, reading and writing the cloud's S3.
func newRealHandler(t *testing.T, cloud *cloudtest.Cloud, opts contract.Thumbnail) *handler.Handler {
	t.Helper()
	cfg := contract.Default()
	cfg.Thumbnail = opts
	log, err := handler.NewLogger(io.Discard, "error")
	if err != nil {
		t.Fatal(err)
	}
	h, err := handler.New(cfg, cloud.S3(), log)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestEventsDriveTheRealHandler hands the backfill's events to the function's
// real handler and checks what it did to a real S3: the thumbnail of exactly
// the listed key, with the metadata the backfill reads back as up to date,
// and the removal of an orphan. Keys that decode to each other ("a b" and
// "a+b") sit side by side, so a garbled key would hit the wrong original.
func TestEventsDriveTheRealHandler(t *testing.T) {
	ctx := context.Background()
	cloud := cloudtest.New(t, cloudtest.Options{})
	const bucket = "photos"
	cloud.Bucket(t, bucket)
	opts := contract.DefaultThumbnail()
	h := newRealHandler(t, cloud, opts)
	m := newEventMaker(bucket, cloudtest.Region)
	client := cloud.S3()

	etags := map[string]string{}
	for i, key := range []string{"a b.png", "a+b.png", "a%2Bb.png", "100%.png", "фото/写真 ü.png", "x/y/z.png"} {
		etags[key] = cloud.Put(t, bucket, key, pngOf(t, uint8(40*i)), nil)
	}
	for key, etag := range etags {
		payload, err := m.created(Object{Key: key, ETag: etag, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Handle(ctx, payload); err != nil {
			t.Fatalf("handler: %v", err)
		}
	}
	for key, etag := range etags {
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(contract.DefaultOutputPrefix + key)})
		if err != nil {
			t.Fatalf("thumbnail of %q: %v", key, err)
		}
		if !contract.UpToDate(head.Metadata, etag, opts.Spec()) {
			t.Errorf("thumbnail of %q has metadata %v; want it up to date with ETag %s and spec %q", key, head.Metadata, etag, opts.Spec())
		}
	}

	// An orphan: the original is deleted behind the function's back.
	if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("a+b.png")}); err != nil {
		t.Fatal(err)
	}
	payload, err := m.deleted("a+b.png")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(ctx, payload); err != nil {
		t.Fatalf("handler: %v", err)
	}
	for key, want := range map[string]bool{"a+b.png": false, "a b.png": true, "a%2Bb.png": true} {
		_, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(contract.DefaultOutputPrefix + key)})
		if got := err == nil; got != want {
			t.Errorf("after removing the orphan of a+b.png, thumbnail of %q exists: %v, want %v (%v)", key, got, want, err)
		}
	}
}

// TestFunctionRecordsSpec checks that contract.Thumbnail.Spec names settings exactly as the
// function records them, for settings other than the defaults too.
func TestFunctionRecordsSpec(t *testing.T) {
	for _, opts := range []contract.Thumbnail{
		contract.DefaultThumbnail(),
		{Width: 64, Height: 48, Mode: contract.ModeFit, Quality: 70, Limits: contract.DefaultLimits()},
	} {
		t.Run(opts.Spec(), func(t *testing.T) {
			cloud := cloudtest.New(t, cloudtest.Options{})
			cloud.Bucket(t, "bkt")
			etag := cloud.Put(t, "bkt", "a.png", pngOf(t, 1), nil)
			payload, err := newEventMaker("bkt", cloudtest.Region).created(Object{Key: "a.png", ETag: etag, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			if err := newRealHandler(t, cloud, opts).Handle(context.Background(), payload); err != nil {
				t.Fatal(err)
			}
			head, err := cloud.S3().HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("resized/a.png")})
			if err != nil {
				t.Fatal(err)
			}
			if got := head.Metadata[contract.MetaSpec]; got != opts.Spec() {
				t.Errorf("the function wrote spec %q, Spec says %q", got, opts.Spec())
			}
		})
	}
}

// TestBackfillAfterTheFunctionFindsNothingToDo runs the real handler over a
// bucket, then the backfill with the same settings (nothing to do) and with
// other settings (everything stale).
func TestBackfillAfterTheFunctionFindsNothingToDo(t *testing.T) {
	ctx := context.Background()
	cloud := cloudtest.New(t, cloudtest.Options{})
	cloud.Bucket(t, "bkt")
	h := newRealHandler(t, cloud, contract.DefaultThumbnail())
	m := newEventMaker("bkt", cloudtest.Region)
	keys := []string{"a.png", "b c.png", "d+e.png", "ü/f.png"}
	for i, key := range keys {
		etag := cloud.Put(t, "bkt", key, pngOf(t, uint8(i)), nil)
		payload, err := m.created(Object{Key: key, ETag: etag, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Handle(ctx, payload); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name        string
		opts        contract.Thumbnail
		upToDate    int
		stale       int
		invocations int
	}{
		{"same settings", contract.DefaultThumbnail(), len(keys), 0, 0},
		{"other size", contract.Thumbnail{Width: 64, Height: 64, Mode: contract.ModeFill, Quality: 85, Limits: contract.DefaultLimits()}, 0, len(keys), len(keys)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(cloud.Lambda.Calls())
			cfg := Config{Bucket: "bkt", Function: "thumbnails", Thumbnail: tt.opts, Rate: 1000,
				Checkpoint: filepath.Join(t.TempDir(), "cp.json")}.WithDefaults()
			r, err := New(cfg, cloud.S3(), cloud.LambdaClient(), io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			report, err := r.Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			s := report.Summary
			if s.UpToDate != tt.upToDate || s.Created[ReasonStale] != tt.stale || s.Failed != 0 || s.Removed != 0 {
				t.Errorf("summary %+v, want %d up to date and %d stale", s, tt.upToDate, tt.stale)
			}
			if got := len(cloud.Lambda.Calls()) - before; got != tt.invocations {
				t.Errorf("%d invocations, want %d", got, tt.invocations)
			}
			if _, err := os.Stat(cfg.Checkpoint); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("checkpoint of a finished run still there: %v", err)
			}
		})
	}
}
