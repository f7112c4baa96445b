package thumbnail

import (
	"image"
	"math"
	"runtime"
	"testing"
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
		{"jpeg RGB at 1/8", JPEG, jpegCase(jpegSpec{width: 8000, height: 8000, sampling: ycc444, rgbIDs: true}), 500, 1000, jpegAt(8)},
		{"jpeg CMYK at 1/8", JPEG, jpegCase(jpegSpec{width: 8000, height: 8000, sampling: cmyk}), 500, 1000, jpegAt(8)},
		{"jpeg progressive CMYK at 1/8", JPEG, jpegCase(jpegSpec{width: 8000, height: 8000, sampling: cmyk, progressive: true, acScans: 4}), 500, 1000, jpegAt(8)},
		// jpegn gets RGB and CMYK wrong: at 1/2 image/jpeg reads them at full size.
		{"jpeg RGB at 1/2", JPEG, jpegCase(jpegSpec{width: 2000, height: 2000, sampling: ycc444, rgbIDs: true}), 500, 2000, jpegAt(2)},
		{"jpeg progressive CMYK at 1/4", JPEG, jpegCase(jpegSpec{width: 2000, height: 2000, sampling: cmyk, progressive: true, acScans: 4}), 250, 2000, jpegAt(4)},
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
			// Decoders keep buffers in a sync.Pool for the next image,
			// which survives one collection: this and allocatedBy's
			// empty it, so each case counts what a cold decode allocates.
			runtime.GC()
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
