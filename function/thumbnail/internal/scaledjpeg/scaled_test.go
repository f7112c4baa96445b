package scaledjpeg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestDecodeScaledNeverFallsBack checks DecodeScaled decodes with the scaled
// decoders alone: it refuses the files they leave to image/jpeg, which
// Decode reads at full size instead.
func TestDecodeScaledNeverFallsBack(t *testing.T) {
	tests := []struct {
		file  string
		denom int
		want  string // "" when it decodes
	}{
		{"video-001.jpeg", 8, ""},
		{"video-001.jpeg", 2, ""},
		{"video-001.progressive.jpeg", 4, ""},
		{"video-005.gray.q50.progressive.jpeg", 8, ""},
		{"video-001.cmyk.jpeg", 8, "not handled by the DC-only decoder"},
		{"video-001.cmyk.jpeg", 4, "not handled by the DC-only decoder"},
		{"video-001.rgb.jpeg", 8, "not handled by the DC-only decoder"},
		{"video-001.jpeg", 1, "scale 1/1: want 1/2, 1/4 or 1/8"},
		{"video-001.jpeg", 16, "scale 1/16: want 1/2, 1/4 or 1/8"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/denom=%d", tt.file, tt.denom), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			img, err := DecodeScaled(data, ReadHeader(data), tt.denom)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("DecodeScaled: error %v, want one containing %q", err, tt.want)
				}
				if errors.Is(err, errNoDCPath) {
					if _, err := Decode(data, ReadHeader(data), tt.denom); err != nil {
						t.Errorf("Decode, which falls back to image/jpeg: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeScaled: %v", err)
			}
			w, h := ScaledSize(150, 103, tt.denom) // every file here is 150x103
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
			}
		})
	}
}

// TestScalesAgreesWithDecodeScaled checks Header.Scales, read from the
// headers alone, names exactly the files the scaled decoders leave to image/jpeg.
func TestScalesAgreesWithDecodeScaled(t *testing.T) {
	kinds := map[bool]int{}
	for _, name := range stdlibJPEGs(t) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		h := ReadHeader(data)
		_, err = DecodeScaled(data, h, 8)
		refused := errors.Is(err, errNoDCPath)
		if h.Scales() == refused {
			t.Errorf("%s: Scales says %v, DecodeScaled says %v", filepath.Base(name), h.Scales(), err)
		}
		kinds[refused]++
	}
	if kinds[true] == 0 || kinds[false] == 0 {
		t.Errorf("test data has %d scalable and %d other files, want both kinds", kinds[false], kinds[true])
	}
}
