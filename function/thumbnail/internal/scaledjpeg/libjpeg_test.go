package scaledjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// TestValidFilesImageJPEGRefuses decodes files libjpeg reads and image/jpeg
// refuses (a progressive 4:2:0 file with restart intervals, made by
// `cjpeg -progressive -restart 7B`; luma sampled 3x1 or 1x4, by
// `cjpeg -sample`) or reads wrongly (a progressive file whose quantisation
// table is redefined between scans: libjpeg keeps the table a component's
// first scan used, image/jpeg and jpegn take the new one, 16.6 dB off), at
// every scale. Every scale gives the DC-only image, the one picture a
// decoder here vouches for, and its luma must equal libjpeg's own 1/8
// decode (`djpeg -grayscale -scale 1/8`, kept beside each file in
// testdata/). Chroma is left out: libjpeg scales chroma planes with a finer
// IDCT than the block mean.
func TestValidFilesImageJPEGRefuses(t *testing.T) {
	for _, tt := range []struct {
		name     string
		stdReads bool // image/jpeg returns a picture, a wrong one
	}{
		{"progressive-restart", false},
		{"sampling-3x1", false},
		{"sampling-1x4", false},
		{"progressive-dqt-between-scans", true},
	} {
		name := tt.name
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name+".jpeg"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := jpeg.Decode(bytes.NewReader(data)); (err == nil) != tt.stdReads {
				t.Fatalf("image/jpeg: error %v: the case no longer proves what it says", err)
			}
			pgm, err := testimage.ReadNetpbm(filepath.Join("testdata", name+".djpeg-luma-1-8.pgm"))
			if err != nil {
				t.Fatal(err)
			}
			want := pgm.(*image.Gray)
			for _, denom := range []int{8, 4, 2, 1} {
				img, err := Decode(data, ReadHeader(data), denom)
				if err != nil {
					t.Fatalf("Decode at 1/%d: %v", denom, err)
				}
				y, ok := img.(*image.YCbCr)
				if !ok || img.Bounds() != want.Bounds() {
					t.Fatalf("Decode at 1/%d: %T %v, libjpeg's 1/8 decode is %v", denom, img, img.Bounds(), want.Bounds())
				}
				worst := 0
				for row := 0; row < want.Rect.Dy(); row++ {
					for x := 0; x < want.Rect.Dx(); x++ {
						d := int(y.Y[row*y.YStride+x]) - int(want.Pix[row*want.Stride+x])
						worst = max(worst, d, -d)
					}
				}
				if worst > 1 {
					t.Errorf("Decode at 1/%d: luma differs from libjpeg's 1/8 decode by up to %d levels, want <= 1", denom, worst)
				}
			}
		})
	}
}
