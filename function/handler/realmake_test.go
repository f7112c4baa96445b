package handler

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// TestCreatedWithRealImageCore runs the handler with the real thumbnail.MakeBytes
// on small images generated here: the thumbnail's bytes, Content-Type and key
// extension must agree, whatever the source's own format.
func TestCreatedWithRealImageCore(t *testing.T) {
	pngSource := encodePNG(t, gradient(320, 200))
	jpegSource := encodeJPEG(t, gradient(300, 400))
	tests := []struct {
		name, key  string
		source     []byte
		wantFormat string // as image.DecodeConfig names it
		wantType   string
	}{
		{"PNG named .png", "photos/cat.png", pngSource, "png", "image/png"},
		{"JPEG named .jpg", "photos/dog.jpg", jpegSource, "jpeg", "image/jpeg"},
		{"PNG named .jpg comes out JPEG", "photos/mislabelled.jpg", pngSource, "jpeg", "image/jpeg"},
		{"JPEG without extension stays JPEG", "photos/scan", jpegSource, "jpeg", "image/jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			fake.add(testBucket, tt.key, tt.source)
			h, logs := newTestHandler(t, fake, nil)
			h.cfg = contract.Default() // the product's limits, not the tests' small ones

			if err := handle(t, h, makeEvent(t, ebCreated, tt.key, int64(len(tt.source)))); err != nil {
				t.Fatalf("Handle: %v", err)
			}

			thumb := fake.get(testBucket, contract.DefaultOutputPrefix+tt.key)
			if thumb == nil {
				t.Fatalf("no thumbnail; log: %v", logs.entries(t))
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(thumb.body))
			if err != nil {
				t.Fatalf("thumbnail does not decode: %v", err)
			}
			if format != tt.wantFormat || thumb.contentType != tt.wantType {
				t.Errorf("thumbnail is %s served as %s, want %s as %s", format, thumb.contentType, tt.wantFormat, tt.wantType)
			}
			if cfg.Width != 128 || cfg.Height != 128 {
				t.Errorf("thumbnail is %dx%d, want 128x128", cfg.Width, cfg.Height)
			}
			assertOnlyOutputsWritten(t, fake)
		})
	}
}

// TestCreatedWithRealImageCoreRejectsBadBytes checks that bytes the real core
// refuses are a permanent failure: logged, not retried, nothing written.
func TestCreatedWithRealImageCoreRejectsBadBytes(t *testing.T) {
	tests := []struct {
		name, key string
		source    []byte
	}{
		{"truncated PNG", "photos/broken.png", encodePNG(t, gradient(64, 64))[:60]},
		{"not an image", "photos/notes.jpg", []byte("%PDF-1.7 this is a document, not a picture")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeS3()
			fake.add(testBucket, tt.key, tt.source)
			h, logs := newTestHandler(t, fake, nil)
			if err := handle(t, h, makeEvent(t, s3Put, tt.key, int64(len(tt.source)))); err != nil {
				t.Fatalf("Handle = %v, want nil: the same bytes would fail again", err)
			}
			if errs := logs.withLevel(t, "ERROR"); len(errs) != 1 || errs[0][FieldKey] != tt.key {
				t.Errorf("ERROR lines = %v, want one naming %q", errs, tt.key)
			}
			if puts := fake.count("PutObject"); puts != 0 {
				t.Errorf("%d thumbnails written for bad bytes", puts)
			}
			if got := logs.skips(t); !slices.Equal(got, nil) {
				t.Errorf("skips = %q, want none", got)
			}
		})
	}
}

// gradient is a w x h image with some structure, so encoders have work to do.
func gradient(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: uint8((x + y) % 256), A: 255})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
