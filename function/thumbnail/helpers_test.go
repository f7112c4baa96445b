package thumbnail

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/image/webp"
)

// readTestdata returns the bytes of a file under testdata/.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// goImageTestdata is Go's own directory of sample images.
func goImageTestdata() string {
	return filepath.Join(runtime.GOROOT(), "src", "image", "testdata")
}

// mustMake runs Make on data and fails the test on error.
func mustMake(t testing.TB, data []byte, opts Options) *Result {
	t.Helper()
	r, err := Make(bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("Make: %v", err)
	}
	return r
}

// decodeResult decodes a thumbnail with the decoder of the format Result claims,
// so a Format that disagrees with Data fails here.
func decodeResult(t testing.TB, r *Result) image.Image {
	t.Helper()
	decoders := map[Format]func([]byte) (image.Image, error){
		JPEG: func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
		PNG:  func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
		GIF:  func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) },
		WebP: func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) },
	}
	dec, ok := decoders[r.Format]
	if !ok {
		t.Fatalf("result format %q has no decoder", r.Format)
	}
	img, err := dec(r.Data)
	if err != nil {
		t.Fatalf("decode %s thumbnail: %v", r.Format, err)
	}
	if b := img.Bounds(); b.Dx() != r.Width || b.Dy() != r.Height {
		t.Fatalf("thumbnail decodes to %dx%d, Result says %dx%d", b.Dx(), b.Dy(), r.Width, r.Height)
	}
	return img
}

// rgba8 is a colour as 8-bit premultiplied channels.
func rgba8(c color.Color) [4]int {
	r, g, b, a := c.RGBA()
	return [4]int{int(r >> 8), int(g >> 8), int(b >> 8), int(a >> 8)}
}

// imageDiff compares two images of the same size channel by channel, in 8-bit
// premultiplied units: the largest difference and the mean absolute difference.
func imageDiff(t testing.TB, got, want image.Image) (maxDiff int, meanDiff float64) {
	t.Helper()
	gb, wb := got.Bounds(), want.Bounds()
	if gb.Size() != wb.Size() {
		t.Fatalf("size %v, want %v", gb.Size(), wb.Size())
	}
	var sum, n int
	for y := 0; y < gb.Dy(); y++ {
		for x := 0; x < gb.Dx(); x++ {
			g := rgba8(got.At(gb.Min.X+x, gb.Min.Y+y))
			w := rgba8(want.At(wb.Min.X+x, wb.Min.Y+y))
			for c := range 4 {
				d := max(g[c]-w[c], w[c]-g[c])
				maxDiff = max(maxDiff, d)
				sum += d
				n++
			}
		}
	}
	return maxDiff, float64(sum) / float64(n)
}

// wantKind asserts err is a permanent *Error of the given kind.
func wantKind(t testing.TB, err, kind error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *Error of kind %v", err, err, kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error %q, want kind %v", err, kind)
	}
	return e
}

// allocatedBy returns the bytes allocated on the heap while f runs.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// quadrants paints an image of w x h in four solid colours: top-left, top-right,
// bottom-left, bottom-right.
func quadrants(w, h int, tl, tr, bl, br color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	fill := func(r image.Rectangle, c color.Color) {
		draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
	}
	fill(image.Rect(0, 0, w/2, h/2), tl)
	fill(image.Rect(w/2, 0, w, h/2), tr)
	fill(image.Rect(0, h/2, w/2, h), bl)
	fill(image.Rect(w/2, h/2, w, h), br)
	return img
}

// encodePNGBytes returns img as PNG bytes.
func encodePNGBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeJPEGBytes returns img as JPEG bytes at quality 95.
func encodeJPEGBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// near reports whether two 8-bit colours differ by at most tol in every channel.
func near(got, want [4]int, tol int) bool {
	for c := range 4 {
		if got[c]-want[c] > tol || want[c]-got[c] > tol {
			return false
		}
	}
	return true
}

// decodeFunc is the type of codec.decode.
type decodeFunc = func(data []byte, h *header, targetW, targetH int, budget int64) (image.Image, error)

// replaceDecode makes f's codec decode with fn until the test ends.
func replaceDecode(t *testing.T, f Format, fn decodeFunc) {
	t.Helper()
	c := codecOf(f)
	saved := c.decode
	t.Cleanup(func() { c.decode = saved })
	c.decode = fn
}
