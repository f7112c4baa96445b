package thumbnail

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/pngstream"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/scaledjpeg"
)

// TestDecodeCostEstimates holds each format's decode estimate to what the
// decoder and the resizer's copy allocate: it must cover the allocation (5%
// and 1 MiB of slack for tables and rows), and not be more than twice it, or
// it would refuse images that fit.
func TestDecodeCostEstimates(t *testing.T) {
	ycc420 := [][2]int{{2, 2}, {1, 1}, {1, 1}}
	ycc444 := [][2]int{{1, 1}, {1, 1}, {1, 1}}
	cmyk := [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	pngCase := func(h pngHeader, extra ...pngChunk) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return pngZeros(t, h, extra...) }
	}
	jpegCase := func(s jpegSpec) func(testing.TB) []byte {
		return func(testing.TB) []byte { return jpegZeros(s) }
	}
	pngFull := func(data []byte) int64 { return readPNGLayout(data).fullSizeBytes() }
	jpegAt := func(denom int) func([]byte) int64 {
		return func(data []byte) int64 { return readJPEGLayout(data).bytesAt(denom) }
	}
	tests := []struct {
		name     string
		format   Format
		input    func(testing.TB) []byte
		target   int // both sides of the decode target; the source size means a full-size decode
		size     int // the side of the decoded image
		estimate func([]byte) int64
	}{
		{"png grey", PNG, pngCase(pngHeader{1000, 1000, 8, 0, false}), 1000, 1000, pngFull},
		{"png grey with a colour key", PNG, pngCase(pngHeader{1000, 1000, 8, 0, false}, pngChunk{"tRNS", []byte{0, 0}}), 1000, 1000, pngFull},
		{"png 16-bit grey", PNG, pngCase(pngHeader{1000, 1000, 16, 0, false}), 1000, 1000, pngFull},
		{"png 1-bit grey", PNG, pngCase(pngHeader{1000, 1000, 1, 0, false}), 1000, 1000, pngFull},
		{"png RGB", PNG, pngCase(pngHeader{1000, 1000, 8, 2, false}), 1000, 1000, pngFull},
		{"png palette", PNG, pngCase(pngHeader{1000, 1000, 8, 3, false}), 1000, 1000, pngFull},
		{"png RGBA", PNG, pngCase(pngHeader{1000, 1000, 8, 6, false}), 1000, 1000, pngFull},
		{"png 16-bit RGBA", PNG, pngCase(pngHeader{1000, 1000, 16, 6, false}), 1000, 1000, pngFull},
		{"png interlaced RGBA", PNG, pngCase(pngHeader{1000, 1000, 8, 6, true}), 1000, 1000, pngFull},
		{"png interlaced palette", PNG, pngCase(pngHeader{1000, 1000, 8, 3, true}), 1000, 1000, pngFull},
		{"jpeg baseline 4:2:0 at full size", JPEG, jpegCase(jpegSpec{width: 1000, height: 1000, sampling: ycc420}), 1000, 1000, jpegAt(1)},
		{"jpeg progressive 4:4:4 at full size", JPEG, jpegCase(jpegSpec{width: 1000, height: 1000, sampling: ycc444, progressive: true, acScans: 3}), 1000, 1000, jpegAt(1)},
		{"jpeg CMYK at full size", JPEG, jpegCase(jpegSpec{width: 1000, height: 1000, sampling: cmyk}), 1000, 1000, jpegAt(1)},
		{"jpeg progressive CMYK at full size", JPEG, jpegCase(jpegSpec{width: 1000, height: 1000, sampling: cmyk, progressive: true, acScans: 4}), 1000, 1000, jpegAt(1)},
		{"jpeg baseline 4:4:4 at 1/2", JPEG, jpegCase(jpegSpec{width: 2000, height: 2000, sampling: ycc444}), 500, 1000, jpegAt(2)},
		{"jpeg progressive 4:4:4 at 1/2", JPEG, jpegCase(jpegSpec{width: 2000, height: 2000, sampling: ycc444, progressive: true, acScans: 3}), 500, 1000, jpegAt(2)},
		{"jpeg progressive 4:2:0 at 1/4", JPEG, jpegCase(jpegSpec{width: 4000, height: 4000, sampling: ycc420, progressive: true, acScans: 3}), 500, 1000, jpegAt(4)},
		{"jpeg baseline 4:4:4 at 1/8", JPEG, jpegCase(jpegSpec{width: 8000, height: 8000, sampling: ycc444}), 500, 1000, jpegAt(8)},
		{"gif", GIF, func(t testing.TB) []byte {
			return gifFile(1000, 1000, gifFrame{0, 0, 1000, 1000, lzwZeros(t, 1000*1000)})
		}, 1000, 1000, func([]byte) int64 { return gifBytesPerPixel * 1000 * 1000 }},
		{"gif frame smaller than the screen", GIF, func(t testing.TB) []byte {
			return gifFile(1000, 1000, gifFrame{0, 0, 10, 10, lzwZeros(t, 10*10)})
		}, 1000, 1000, func([]byte) int64 { return gifBytesPerPixel * 1000 * 1000 }},
		{"webp lossless", WebP, constant(vp8lSolid(1000, 1000, 0)), 1000, 1000,
			func(data []byte) int64 { return readWebPLayout(data).bytes(1000, 1000) }},
		{"webp lossy with alpha", WebP, func(t testing.TB) []byte { return readTestdata(t, "yellow_rose.lossy-with-alpha.webp") }, 400, 400,
			func(data []byte) int64 { return readWebPLayout(data).bytes(400, 301) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.input(t)
			h, err := codecOf(tt.format).readHeader(data)
			if err != nil {
				t.Fatalf("header: %v", err)
			}
			var img image.Image
			alloc := allocatedBy(func() {
				img, err = codecOf(tt.format).decode(data, &h, tt.target, tt.target, math.MaxInt64)
				if err == nil {
					img = resizable(img)
				}
			})
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if w := img.Bounds().Dx(); w != tt.size {
				t.Fatalf("decoded %d wide, want %d: not the decode the estimate is for", w, tt.size)
			}
			est := tt.estimate(data)
			t.Logf("estimate %d, allocated %d (%.2f)", est, alloc, float64(alloc)/float64(est))
			if float64(alloc) > 1.05*float64(est)+mib {
				t.Errorf("allocated %d bytes, over the estimate of %d", alloc, est)
			}
			if float64(est) > 2*float64(alloc)+mib {
				t.Errorf("estimate of %d bytes is over twice the %d allocated", est, alloc)
			}
		})
	}
}

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

// TestReadWebPLayout checks the bitstream kind read from the chunks.
func TestReadWebPLayout(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want webpLayout
	}{
		{"lossy", readTestdata(t, "video-001.lossy.webp"), webpLayout{}},
		{"lossy with alpha", readTestdata(t, "yellow_rose.lossy-with-alpha.webp"), webpLayout{alpha: true}},
		{"lossless in an extended file flagged alpha", readTestdata(t, "gopher-doc.with-alpha.lossless.webp"), webpLayout{lossless: true, alpha: true}},
		{"extended lossless after metadata", riffWebP(vp8xChunk(0x10, 4, 4), []byte("ICCPabc"), vp8lSolidChunk(4, 4, 0)), webpLayout{lossless: true, alpha: true}},
		{"chunk larger than the data", withChunkSize(riffWebP(vp8xChunk(0, 4, 4), []byte("EXIF\x00\x00"), vp8lSolidChunk(4, 4, 0)), 30, 1<<31), webpLayout{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readWebPLayout(tt.data); got != tt.want {
				t.Errorf("layout %+v, want %+v", got, tt.want)
			}
		})
	}
}

// readPNGLayout, readJPEGLayout and readWebPLayout are each format's header
// walk alone, without the standard library's header check.
func readPNGLayout(data []byte) pngLayout   { return pngLayout{pngstream.ReadHeader(data)} }
func readJPEGLayout(data []byte) jpegLayout { return jpegLayout{scaledjpeg.ReadHeader(data)} }
func readWebPLayout(data []byte) webpLayout { return walkWebP(data).layout }

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
