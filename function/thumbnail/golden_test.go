package thumbnail

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden thumbnails under testdata/golden")

// goldenTolerance is the largest per-channel difference (8-bit units) accepted
// against a golden thumbnail: room for floating-point rounding of the filter
// weights on other CPUs, far below any visible change.
const goldenTolerance = 2

// TestGolden compares thumbnails of the sample inputs with the committed ones.
// Each is written as PNG so the comparison sees the pipeline, not a lossy encoder.
func TestGolden(t *testing.T) {
	tests := []struct {
		golden string
		input  string
		opts   Options
	}{
		{"video-001.jpeg.fill.png", "video-001.jpeg", Options{}},
		{"video-001.cmyk.jpeg.fill.png", "video-001.cmyk.jpeg", Options{}},
		{"video-005.gray.jpeg.fit.png", "video-005.gray.jpeg", Options{Mode: ModeFit}},
		{"video-001.png.stretch.png", "video-001.png", Options{Mode: ModeStretch}},
		{"video-001.png.fill-64x32.png", "video-001.png", Options{Width: 64, Height: 32}},
		{"basn6a16.png.fill.png", "basn6a16.png", Options{}},
		{"basn3p08-trns.png.fit.png", "basn3p08-trns.png", Options{Mode: ModeFit, Width: 24, Height: 24}},
		{"triangle-001.gif.fill.png", "triangle-001.gif", Options{}},
		{"video-001.lossy.webp.fill.png", "video-001.lossy.webp", Options{}},
		{"yellow_rose.lossy-with-alpha.webp.fit.png", "yellow_rose.lossy-with-alpha.webp", Options{Mode: ModeFit}},
		{"gopher-doc.with-alpha.lossless.webp.fill.png", "gopher-doc.with-alpha.lossless.webp", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			tt.opts.Format = PNG
			r := mustMake(t, readTestdata(t, tt.input), tt.opts)
			path := filepath.Join("testdata", "golden", tt.golden)
			if *update {
				if err := os.WriteFile(path, r.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := png.Decode(bytes.NewReader(readTestdata(t, filepath.Join("golden", tt.golden))))
			if err != nil {
				t.Fatalf("golden %s: %v (run with -update to create it)", path, err)
			}
			got := decodeResult(t, r)
			if maxDiff, mean := imageDiff(t, got, want); maxDiff > goldenTolerance {
				t.Errorf("differs from %s: max %d per channel (tolerance %d), mean %.3f; if the change is intended, run with -update and look at the images",
					path, maxDiff, goldenTolerance, mean)
			}
		})
	}
}
