package testimage

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os/exec"
	"strings"
	"testing"
)

func TestPhotoIsDeterministic(t *testing.T) {
	a, b := Photo(64, 48), Photo(64, 48)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Fatal("two photos of the same size differ")
	}
	if c := Photo(48, 64); bytes.Equal(a.Pix, c.Pix) {
		t.Error("photos of different sizes are identical")
	}
	// Photo-like: many distinct values, not a flat or banded image.
	seen := map[uint8]bool{}
	for i := 0; i < len(a.Pix); i += 4 {
		seen[a.Pix[i]] = true
	}
	if len(seen) < 64 {
		t.Errorf("red channel has %d distinct values, want a photo-like spread", len(seen))
	}
}

func TestEncodings(t *testing.T) {
	img := Photo(80, 60)
	j, err := JPEG(img)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := jpeg.Decode(bytes.NewReader(j)); err != nil || got.Bounds() != img.Bounds() {
		t.Fatalf("JPEG decodes to %v, %v; want %v", bounds(got), err, img.Bounds())
	}
	p, err := PNG(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		t.Fatal(err)
	}
	if rgba, ok := got.(*image.RGBA); !ok || !bytes.Equal(rgba.Pix, img.Pix) {
		t.Errorf("PNG round trip gave a %T that differs from the source", got)
	}

	prog, err := Progressive(j)
	if _, lookErr := exec.LookPath("jpegtran"); lookErr != nil {
		if err == nil || !strings.Contains(err.Error(), "jpegtran") {
			t.Fatalf("without jpegtran: error %v, want one naming jpegtran", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(prog, []byte{0xFF, 0xC2}) {
		t.Error("no progressive SOF2 marker in jpegtran's output")
	}
	if got, err := jpeg.Decode(bytes.NewReader(prog)); err != nil || got.Bounds() != img.Bounds() {
		t.Errorf("progressive JPEG decodes to %v, %v; want %v", bounds(got), err, img.Bounds())
	}
}

func bounds(img image.Image) image.Rectangle {
	if img == nil {
		return image.Rectangle{}
	}
	return img.Bounds()
}
