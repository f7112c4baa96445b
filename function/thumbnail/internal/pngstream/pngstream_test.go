package pngstream

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// stdlibPNGs lists the PNG files of Go's own image test data: the PNG suite
// (every colour type and bit depth, interlaced, palettes with transparency)
// and larger benchmark images.
func stdlibPNGs(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "png", "testdata")
	suite, err := filepath.Glob(filepath.Join(dir, "pngsuite", "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	top, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	files := append(suite, top...)
	if len(files) < 40 {
		t.Fatalf("found %d PNG files under GOROOT, want the standard library's test data", len(files))
	}
	return files
}

// reference is the exact box average, in premultiplied 8-bit RGBA (or grey),
// of image/png's full decode.
func reference(t testing.TB, data []byte, k int) image.Image {
	t.Helper()
	full, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("reference decode: %v", err)
	}
	b := full.Bounds()
	var src *image.RGBA
	if g, ok := full.(*image.Gray); ok {
		src = &image.RGBA{Pix: make([]uint8, 4*len(g.Pix)), Stride: 4 * g.Stride, Rect: g.Rect}
		for i, v := range g.Pix {
			src.Pix[4*i], src.Pix[4*i+1], src.Pix[4*i+2], src.Pix[4*i+3] = v, v, v, 255
		}
	} else {
		src = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(src, src.Rect, full, b.Min, draw.Src)
	}
	w, h := ShrunkSize(b.Dx(), b.Dy(), k)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for oy := 0; oy < h; oy++ {
		for ox := 0; ox < w; ox++ {
			var sum [4]int
			n := 0
			for y := oy * k; y < min(b.Dy(), oy*k+k); y++ {
				for x := ox * k; x < min(b.Dx(), ox*k+k); x++ {
					for c := 0; c < 4; c++ {
						sum[c] += int(src.Pix[y*src.Stride+4*x+c])
					}
					n++
				}
			}
			for c := 0; c < 4; c++ {
				out.Pix[oy*out.Stride+4*ox+c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return out
}

// maxDiff is the largest per-sample difference between two images of the
// same size, compared as premultiplied 8-bit RGBA.
func maxDiff(a, b image.Image) int {
	ra, rb := rgba(a), rgba(b)
	d := 0
	for i := range ra.Pix {
		d = max(d, int(math.Abs(float64(ra.Pix[i])-float64(rb.Pix[i]))))
	}
	return d
}

func rgba(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

// leftToImagePNG reports the files this package does not stream: interlaced ones.
func leftToImagePNG(_ string, data []byte) bool {
	return data[28] != 0
}

func TestDecodeMatchesBoxAverageOfStandardDecode(t *testing.T) {
	for _, path := range stdlibPNGs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		if strings.HasPrefix(name, "invalid") {
			continue // TestDecodeRejects covers them
		}
		for _, k := range []int{1, 2, 3, 8} {
			t.Run(fmt.Sprintf("%s/k=%d", name, k), func(t *testing.T) {
				got, err := Decode(data, k)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				want := reference(t, data, k)
				if k == 1 || leftToImagePNG(name, data) {
					want = reference(t, data, 1)
				}
				if got.Bounds().Size() != want.Bounds().Size() {
					t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
				}
				// Streamed decodes average exactly; image/png's own output is compared as is.
				if d := maxDiff(got, want); d > 0 {
					t.Errorf("differs from the box average of image/png's decode by up to %d levels", d)
				}
			})
		}
	}
}

// TestStreamingTakesEveryCommonKind makes sure the streaming path, not the
// fallback, decodes every non-interlaced file: every colour type at every
// bit depth, colour keys included.
func TestStreamingTakesEveryCommonKind(t *testing.T) {
	n := 0
	for _, path := range stdlibPNGs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		if strings.HasPrefix(name, "invalid") || leftToImagePNG(name, data) {
			continue
		}
		n++
		if _, err := decodeShrunk(data, 2); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n < 30 {
		t.Errorf("only %d streamable files in the test data", n)
	}
}

func TestDecodeRejects(t *testing.T) {
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "png", "testdata")
	tests := []struct {
		file string
		k    int
		want string
	}{
		{"invalid-crc32.png", 2, "checksum"},
		{"invalid-noend.png", 2, "EOF"},
		{"invalid-trunc.png", 2, "EOF"},
		{"invalid-zlib.png", 2, "zlib"},
		{"benchGray.png", 0, "shrink factor 0"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(data, tt.k); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode: error %v, want one containing %q", err, tt.want)
			}
			if tt.k > 1 {
				if _, err := decodeShrunk(data, tt.k); err == nil {
					t.Errorf("streaming decode accepted %s", tt.file)
				}
			}
		})
	}
}

func TestFactor(t *testing.T) {
	tests := []struct {
		name               string
		srcW, srcH, dW, dH int
		want               int
	}{
		{"12 MP to 171x128", 4000, 3000, 171, 128, 11},
		{"exact fit", 512, 512, 128, 128, 2},
		{"rounding up keeps twice the target", 1030, 1030, 128, 128, 4},
		{"too small to shrink", 300, 300, 128, 128, 1},
		{"degenerate target", 1000, 1000, 0, 128, 1},
		{"capped", 65535, 65535, 1, 1, maxFactor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Factor(tt.srcW, tt.srcH, tt.dW, tt.dH); got != tt.want {
				t.Errorf("Factor(%d, %d, %d, %d) = %d, want %d", tt.srcW, tt.srcH, tt.dW, tt.dH, got, tt.want)
			}
		})
	}
}
