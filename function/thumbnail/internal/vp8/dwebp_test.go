package vp8

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// dwebpYUV decodes a lossy WebP with libwebp's dwebp into its Y, U and V
// planes (dwebp -yuv: planar, unpadded), the independent reference.
func dwebpYUV(t testing.TB, file []byte, w, h int) (y, u, v []byte) {
	t.Helper()
	if _, err := exec.LookPath("dwebp"); err != nil {
		t.Fatal("dwebp not found: apt-get install webp")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.webp"), filepath.Join(dir, "out.yuv")
	if err := os.WriteFile(in, file, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("dwebp", "-quiet", in, "-yuv", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("dwebp: %v: %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cw, ch := (w+1)/2, (h+1)/2
	if len(data) != w*h+2*cw*ch {
		t.Fatalf("dwebp wrote %d bytes, want %d", len(data), w*h+2*cw*ch)
	}
	return data[:w*h], data[w*h : w*h+cw*ch], data[w*h+cw*ch:]
}

// sameAsDwebp reports where the decoded planes first differ from dwebp's.
func sameAsDwebp(t testing.TB, file []byte, m *image.YCbCr) string {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	y, u, v := dwebpYUV(t, file, w, h)
	cw, ch := (w+1)/2, (h+1)/2
	for _, p := range []struct {
		name       string
		got, want  []byte
		stride, pw int
		ph         int
	}{
		{"Y", m.Y, y, m.YStride, w, h},
		{"U", m.Cb, u, m.CStride, cw, ch},
		{"V", m.Cr, v, m.CStride, cw, ch},
	} {
		for row := 0; row < p.ph; row++ {
			if !bytes.Equal(p.got[row*p.stride:][:p.pw], p.want[row*p.pw:][:p.pw]) {
				return fmt.Sprintf("%s row %d differs from dwebp's", p.name, row)
			}
		}
	}
	return ""
}
