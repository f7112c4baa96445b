package scaledjpeg

import (
	"bytes"
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
// Decode reads at full size instead, and gives RGB and CMYK files, which
// only the DC-only decoder scales, at 1/8 whatever the scale asked.
func TestDecodeScaledNeverFallsBack(t *testing.T) {
	tests := []struct {
		file  string
		edit  func([]byte) []byte // nil for the file as it is
		denom int
		want  string // "" when it decodes
		got   int    // the scale it decodes at, when not denom
	}{
		{"video-001.jpeg", nil, 8, "", 0},
		{"video-001.jpeg", nil, 2, "", 0},
		{"video-001.progressive.jpeg", nil, 4, "", 0},
		{"video-005.gray.q50.progressive.jpeg", nil, 8, "", 0},
		{"video-001.cmyk.jpeg", nil, 8, "", 0},
		{"video-001.cmyk.jpeg", nil, 4, "", 8},
		{"video-001.rgb.jpeg", nil, 8, "", 0},
		{"video-001.rgb.jpeg", nil, 2, "", 8},
		{"video-001.jpeg", arithmeticCoded, 8, "not handled by the DC-only decoder", 0},
		{"video-001.jpeg", twelveBit, 4, "not handled by the DC-only decoder", 0},
		{"video-001.jpeg", nil, 1, "scale 1/1: want 1/2, 1/4 or 1/8", 0},
		{"video-001.jpeg", nil, 16, "scale 1/16: want 1/2, 1/4 or 1/8", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/denom=%d", tt.file, tt.denom), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				data = tt.edit(data)
			}
			img, err := DecodeScaled(data, ReadHeader(data), tt.denom)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("DecodeScaled: error %v, want one containing %q", err, tt.want)
				}
				if errors.Is(err, errNoDCPath) {
					// image/jpeg refuses these kinds too, as unsupported.
					if _, err := Decode(data, ReadHeader(data), tt.denom); err == nil || errors.Is(err, errNoDCPath) {
						t.Errorf("Decode, which falls back to image/jpeg: %v, want image/jpeg's error", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeScaled: %v", err)
			}
			denom := tt.denom
			if tt.got != 0 {
				denom = tt.got
			}
			w, h := ScaledSize(150, 103, denom) // every file here is 150x103
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
			}
		})
	}
}

// arithmeticCoded relabels a baseline JPEG's frame as arithmetic-coded
// (SOF9), a kind image/jpeg and the scaled decoders leave unsupported.
func arithmeticCoded(data []byte) []byte {
	out := append([]byte{}, data...)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	out[i+1] = 0xC9
	return out
}

// twelveBit relabels a baseline JPEG's frame as of 12-bit samples.
func twelveBit(data []byte) []byte {
	out := append([]byte{}, data...)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	out[i+4] = 12
	return out
}

// TestScalesAgreesWithDecodeScaled checks Header.Scales, read from the
// headers alone, names exactly the files the scaled decoders leave to
// image/jpeg: Go's test files, which they all read, and the same relabelled
// as arithmetic-coded or 12-bit, which they leave.
func TestScalesAgreesWithDecodeScaled(t *testing.T) {
	kinds := map[bool]int{}
	for _, name := range stdlibJPEGs(t) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checkScalesVerdict(t, filepath.Base(name), data, kinds)
		if bytes.Contains(data, []byte{0xFF, 0xC0}) { // baseline
			checkScalesVerdict(t, filepath.Base(name)+" as arithmetic-coded", arithmeticCoded(data), kinds)
			checkScalesVerdict(t, filepath.Base(name)+" as 12-bit", twelveBit(data), kinds)
		}
	}
	if kinds[true] == 0 || kinds[false] == 0 {
		t.Errorf("test data has %d scalable and %d other files, want both kinds", kinds[false], kinds[true])
	}
}

// checkScalesVerdict compares Header.Scales with DecodeScaled's verdict on one file.
func checkScalesVerdict(t *testing.T, name string, data []byte, kinds map[bool]int) {
	h := ReadHeader(data)
	_, err := DecodeScaled(data, h, 8)
	refused := errors.Is(err, errNoDCPath)
	if h.Scales() == refused {
		t.Errorf("%s: Scales says %v, DecodeScaled says %v", name, h.Scales(), err)
	}
	kinds[refused]++
}
