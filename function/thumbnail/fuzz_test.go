package thumbnail

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzOptions keep each fuzzed input cheap: a small box and a megapixel cap,
// so the fuzzer explores parsers instead of allocating large valid images.
var fuzzOptions = Options{Width: 32, Height: 32, Limits: Limits{MaxPixels: 1 << 20}}

// addSeeds adds every committed sample, the hostile headers and the small
// hostile files to the corpus.
func addSeeds(f *testing.F) {
	for _, dir := range []string{"testdata", goImageTestdata()} {
		files, err := filepath.Glob(filepath.Join(dir, "*.*"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			if filepath.Ext(name) == ".md" {
				continue
			}
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add(pngWithHeader(100_000, 100_000))
	f.Add(gifWithHeader(65535, 65535))
	f.Add(jpegWithHeader(65000, 65000))
	f.Add(riffWebP(vp8xChunk(0, 1<<24, 16)))
	f.Add(withJPEGExif(jpegWithHeader(10, 10), 6))
	f.Add([]byte{})
	for _, data := range hostileSeeds(f) {
		f.Add(data)
	}
}

// FuzzMake checks no input makes Make panic or take more than
// maxCPUPerFuzzInput, every failure is a permanent *Error, and every success
// is a decodable thumbnail of the size it reports.
func FuzzMake(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			r   *Result
			err error
		)
		if cpu := cpuTimeOf(t, func() { r, err = Make(bytes.NewReader(data), fuzzOptions) }); cpu > maxCPUPerFuzzInput {
			t.Fatalf("took %v of CPU, bound %v", cpu, maxCPUPerFuzzInput)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			return
		}
		decodeResult(t, r)
		if r.Width < 1 || r.Height < 1 || r.Width > fuzzOptions.Width || r.Height > fuzzOptions.Height {
			t.Fatalf("thumbnail %dx%d outside the %dx%d box", r.Width, r.Height, fuzzOptions.Width, fuzzOptions.Height)
		}
	})
}

// FuzzOrientation checks the EXIF reader never panics and only returns 1-8,
// whatever the container bytes.
func FuzzOrientation(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{JPEG, PNG, WebP} {
			if o := orientationOf(format, data); o < 1 || o > 8 {
				t.Fatalf("%s orientation %d", format, o)
			}
		}
		if o := tiffOrientation(data); o < 1 || o > 8 {
			t.Fatalf("tiff orientation %d", o)
		}
	})
}
