package thumbnail

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/pngstream"
)

// TestPNGRawBytes checks the scanline length the layout computes against the
// inflated image data of Go's test PNGs: every colour type and bit depth,
// interlaced and not.
func TestPNGRawBytes(t *testing.T) {
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "png", "testdata")
	files, err := filepath.Glob(filepath.Join(dir, "pngsuite", "basn*.png"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(dir, "gray-gradient.interlaced.png"), filepath.Join(dir, "benchRGB-interlace.png"))
	interlaced := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		l := readPNGLayout(data)
		if l.Interlaced {
			interlaced++
		}
		if got, want := l.rawBytes(), int64(len(inflatedIDAT(t, data))); got != want {
			t.Errorf("%s (%s): raw bytes %d, image data inflates to %d", filepath.Base(name), l.kind(), got, want)
		}
		if l.dataTooShort() {
			t.Errorf("%s: %d bytes of image data called too short for %d", filepath.Base(name), l.DataBytes, l.rawBytes())
		}
	}
	if interlaced < 3 {
		t.Errorf("%d interlaced files, want at least 3", interlaced)
	}
}

// inflatedIDAT returns the image data of a PNG, inflated.
func inflatedIDAT(t *testing.T, data []byte) []byte {
	var z []byte
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if string(data[i+4:i+8]) == "IDAT" {
			z = append(z, data[i+8:i+8+n]...)
		}
		i += 12 + n
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestPNGDataTooShort checks the deflate bound on both sides: the best zlib
// compresses zeros to stays within it, and data cut short does not.
func TestPNGDataTooShort(t *testing.T) {
	full := pngZeros(t, pngHeader{8000, 8000, 8, 0, false})
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"zeros at zlib's best ratio", full, false},
		{"no image data", pngWithHeader(100, 100), true},
		{"a few bytes of a large image", pngTruncated(t, pngHeader{8000, 8000, 8, 0, false}), true},
		{"image data cut at a tenth", full[:len(full)/10], true},
		{"one pixel", pngZeros(t, pngHeader{1, 1, 8, 0, false}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := readPNGLayout(tt.data)
			if got := l.dataTooShort(); got != tt.want {
				t.Errorf("too short: %v, want %v (%d bytes of data for %d of rows)", got, tt.want, l.DataBytes, l.rawBytes())
			}
		})
	}
}

// TestReadPNGLayout checks what the chunk walk reads, including a chunk cut
// short and chunks after IEND.
func TestReadPNGLayout(t *testing.T) {
	trns := pngZeros(t, pngHeader{20, 10, 8, 2, false}, pngChunk{"tRNS", []byte{0, 0, 0, 0, 0, 0}})
	afterEnd := append(pngFile(pngHeader{20, 10, 8, 0, false}), pngFile(pngHeader{20, 10, 8, 0, false}, pngChunk{"IDAT", make([]byte, 99)})[8:]...)
	tests := []struct {
		name string
		data []byte
		want pngFigures
	}{
		{"rgb with a colour key", trns, pngFigures{20, 10, 8, 2, false, true, int64(len(compressedZeros(t, 10*61)))}},
		{"interlaced 16-bit", pngWithIDAT(pngHeader{7, 9, 16, 4, true}, 300), pngFigures{7, 9, 16, 4, true, false, 300}},
		{"two image data chunks", pngFile(pngHeader{5, 5, 8, 0, false}, pngChunk{"IDAT", make([]byte, 10)}, pngChunk{"IDAT", make([]byte, 15)}), pngFigures{5, 5, 8, 0, false, false, 25}},
		{"image data cut short", pngWithIDAT(pngHeader{5, 5, 8, 0, false}, 1000)[:8+25+8+100], pngFigures{5, 5, 8, 0, false, false, 100}},
		{"chunks after IEND ignored", afterEnd, pngFigures{20, 10, 8, 0, false, false, 0}},
		{"too short for IHDR", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), pngFigures{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := figuresOf(readPNGLayout(tt.data)); got != tt.want {
				t.Errorf("layout %+v\nwant   %+v", got, tt.want)
			}
		})
	}
}

// pngWithIDAT is a PNG with one IDAT chunk of n zero bytes.
func pngWithIDAT(h pngHeader, n int) []byte {
	return pngFile(h, pngChunk{"IDAT", make([]byte, n)})
}

// readPNGLayout is the PNG header walk alone, without image/png's header check.
func readPNGLayout(data []byte) pngLayout { return pngLayout{pngstream.ReadHeader(data)} }

// pngFigures are the figures of a PNG layout the decode estimate uses.
type pngFigures struct {
	width, height    int64
	depth, colorType byte
	interlaced       bool
	transparency     bool
	dataBytes        int64
}

func figuresOf(l pngLayout) pngFigures {
	return pngFigures{l.Width, l.Height, l.Depth, l.ColorType, l.Interlaced, l.Transparency, l.DataBytes}
}
