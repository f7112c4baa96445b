package vp8

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	xvp8 "golang.org/x/image/vp8"
)

// decodeFork decodes a VP8 frame with this package.
func decodeFork(data []byte) (*image.YCbCr, error) {
	d := NewDecoder()
	d.Init(data, len(data))
	if _, err := d.DecodeFrameHeader(); err != nil {
		return nil, err
	}
	return d.DecodeFrame()
}

// decodeX decodes a VP8 frame with golang.org/x/image/vp8, the decoder this
// package was forked from and the reference for its pixels.
func decodeX(data []byte) (*image.YCbCr, error) {
	d := xvp8.NewDecoder()
	d.Init(bytes.NewReader(data), len(data))
	if _, err := d.DecodeFrameHeader(); err != nil {
		return nil, err
	}
	return d.DecodeFrame()
}

// samePlanes reports where two YCbCr images differ first, or "" if their
// visible Y, Cb and Cr samples are the same.
func samePlanes(a, b *image.YCbCr) string {
	if a.Rect != b.Rect || a.SubsampleRatio != b.SubsampleRatio {
		return fmt.Sprintf("image %v %v, want %v %v", a.Rect, a.SubsampleRatio, b.Rect, b.SubsampleRatio)
	}
	w, h := a.Rect.Dx(), a.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	planes := []struct {
		name           string
		pa, pb         []byte
		sa, sb, pw, ph int
	}{
		{"Y", a.Y, b.Y, a.YStride, b.YStride, w, h},
		{"Cb", a.Cb, b.Cb, a.CStride, b.CStride, cw, ch},
		{"Cr", a.Cr, b.Cr, a.CStride, b.CStride, cw, ch},
	}
	for _, p := range planes {
		for y := 0; y < p.ph; y++ {
			ra, rb := p.pa[y*p.sa:][:p.pw], p.pb[y*p.sb:][:p.pw]
			if !bytes.Equal(ra, rb) {
				for x := range ra {
					if ra[x] != rb[x] {
						return fmt.Sprintf("%s(%d,%d) is %d, want %d", p.name, x, y, ra[x], rb[x])
					}
				}
			}
		}
	}
	return ""
}

// payload returns the "VP8 " chunk's payload of a WebP file.
func payload(t testing.TB, data []byte) []byte {
	t.Helper()
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if string(data[i:i+4]) == "VP8 " {
			return data[i+8 : min(len(data), i+8+n)]
		}
		i += 8 + n + n&1
	}
	t.Fatal("no VP8 chunk")
	return nil
}

// cwebp encodes img as lossy WebP with libwebp's cwebp and the given options.
func cwebp(t testing.TB, img image.Image, args ...string) []byte {
	t.Helper()
	data, err := testimage.Cwebp(img, args...)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkSameAsX decodes a VP8 frame with both decoders and fails unless they
// both refuse it or give the same planes.
func checkSameAsX(t testing.TB, name string, data []byte) {
	t.Helper()
	got, err := decodeFork(data)
	want, xerr := decodeX(data)
	switch {
	case err != nil && xerr != nil:
		return
	case err != nil:
		t.Fatalf("%s: %v; golang.org/x/image/vp8 decodes it", name, err)
	case xerr != nil:
		t.Fatalf("%s: decoded; golang.org/x/image/vp8 refuses it: %v", name, xerr)
	}
	if diff := samePlanes(got, want); diff != "" {
		t.Fatalf("%s: %s (golang.org/x/image/vp8)", name, diff)
	}
}
