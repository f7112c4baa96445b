package thumbnail

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/scaledjpeg"
)

// TestReadJPEGLayout checks the marker walk against Go's test JPEGs: the size
// image/jpeg reads, the components, progressive or not, RGB or not, and the
// scans, stepping over stuffed bytes and restart markers.
func TestReadJPEGLayout(t *testing.T) {
	tests := []struct {
		file        string
		components  int
		progressive bool
		rgb         bool
		scans       int
	}{
		{"video-001.jpeg", 3, false, false, 1},
		{"video-001.restart2.jpeg", 3, false, false, 1},
		{"video-001.progressive.jpeg", 3, true, false, 10},
		{"video-001.separate.dc.progression.jpeg", 3, true, false, 10},
		{"video-001.separate.dc.progression.progressive.jpeg", 3, true, false, 14},
		{"video-001.cmyk.jpeg", 4, false, false, 1},
		{"video-001.rgb.jpeg", 3, false, true, 1},
		{"video-005.gray.q50.progressive.jpeg", 1, true, false, 6},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(goImageTestdata(), tt.file))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			l := readJPEGLayout(data)
			if l.Width != cfg.Width || l.Height != cfg.Height {
				t.Errorf("size %dx%d, image/jpeg reads %dx%d", l.Width, l.Height, cfg.Width, cfg.Height)
			}
			if len(l.Components) != tt.components || l.Progressive() != tt.progressive || l.RGB() != tt.rgb || l.Scans != tt.scans {
				t.Errorf("components %d, progressive %v, rgb %v, scans %d; want %d, %v, %v, %d",
					len(l.Components), l.Progressive(), l.RGB(), l.Scans, tt.components, tt.progressive, tt.rgb, tt.scans)
			}
		})
	}
}

// readJPEGLayout is the JPEG marker walk alone, without image/jpeg's header check.
func readJPEGLayout(data []byte) jpegLayout { return jpegLayout{scaledjpeg.ReadHeader(data)} }
