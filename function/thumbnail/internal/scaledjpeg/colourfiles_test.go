package scaledjpeg

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// updateColourFiles rewrites the progressive RGB, CMYK and YCCK files under
// testdata/ with jpegtran (libjpeg-turbo-progs) from the baseline files
// colourJPEG builds.
var updateColourFiles = flag.Bool("update-colour-files", false, "rewrite testdata/*.progressive.jpeg with jpegtran")

// colourKind is a colour model stored without YCbCr's transform, as
// image/jpeg names it by the component ids and the Adobe APP14 segment.
type colourKind struct {
	name string
	ids  string
	// adobe is the APP14 transform, or -1 for no segment.
	adobe int
	// channels turns an RGB pixel into the stored samples, one a component.
	channels func(r, g, b uint8) []uint8
}

var (
	rgbByIDs = colourKind{"rgb-ids", "RGB", -1, func(r, g, b uint8) []uint8 { return []uint8{r, g, b} }}
	rgbAdobe = colourKind{"rgb-adobe", "\x01\x02\x03", 0, func(r, g, b uint8) []uint8 { return []uint8{r, g, b} }}
	// cmykAdobe stores CMYK inverted, as Adobe writes it: 255 is no ink.
	cmykAdobe = colourKind{"cmyk", "\x01\x02\x03\x04", 0, func(r, g, b uint8) []uint8 {
		k := min(255-r, 255-g, 255-b)
		return []uint8{r, g, b, 255 - k/2}
	}}
	// ycckAdobe stores Y, Cb, Cr of the inverted C, M, Y and K inverted.
	ycckAdobe = colourKind{"ycck", "\x01\x02\x03\x04", 2, func(r, g, b uint8) []uint8 {
		y, cb, cr := color.RGBToYCbCr(r, g, b)
		return []uint8{y, cb, cr, 255 - (255-g)/3}
	}}
)

// colourJPEG builds a baseline JPEG of kind k over a w x h photo, one
// non-interleaved scan a component: image/jpeg encodes each component's
// samples as a grey JPEG (the same tables for all), whose scan is exactly
// a one-component scan of the multi-component frame. sampling holds each
// component's factors; a component sampled below the finest is the photo's
// channel at that resolution (every n-th pixel).
func colourJPEG(t testing.TB, k colourKind, w, h int, sampling [][2]int) []byte {
	t.Helper()
	photo := testimage.Photo(w, h)
	hMax, vMax := 1, 1
	for _, s := range sampling {
		hMax, vMax = max(hMax, s[0]), max(vMax, s[1])
	}
	out := []byte{0xFF, 0xD8}
	if k.adobe >= 0 {
		out = append(out, segment(0xEE, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, byte(k.adobe)})...)
	}
	var tables, scans []byte
	for i, s := range sampling {
		fx, fy := hMax/s[0], vMax/s[1]
		cw, ch := (w*s[0]+hMax-1)/hMax, (h*s[1]+vMax-1)/vMax
		g := image.NewGray(image.Rect(0, 0, cw, ch))
		for y := range ch {
			for x := range cw {
				c := photo.RGBAAt(x*fx, y*fy)
				g.Pix[y*g.Stride+x] = k.channels(c.R, c.G, c.B)[i]
			}
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, g, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		segs, data := splitGreyJPEG(t, b.Bytes())
		if i == 0 {
			tables = append(segs[0xDB], segs[0xC4]...)
		}
		scans = append(scans, segment(0xDA, []byte{1, k.ids[i], 0x00, 0, 63, 0})...)
		scans = append(scans, data...)
	}
	frame := []byte{8}
	frame = binary.BigEndian.AppendUint16(frame, uint16(h))
	frame = binary.BigEndian.AppendUint16(frame, uint16(w))
	frame = append(frame, byte(len(sampling)))
	for i, s := range sampling {
		frame = append(frame, k.ids[i], byte(s[0]<<4|s[1]), 0)
	}
	out = append(out, tables...)
	out = append(out, segment(0xC0, frame)...)
	out = append(out, scans...)
	return append(out, 0xFF, 0xD9)
}

// splitGreyJPEG returns the DQT and DHT segments (whole, by marker) and
// the entropy-coded data of image/jpeg's grey JPEG.
func splitGreyJPEG(t testing.TB, data []byte) (map[byte][]byte, []byte) {
	t.Helper()
	segs := map[byte][]byte{}
	for i := 2; i+4 <= len(data); {
		m, n := data[i+1], int(binary.BigEndian.Uint16(data[i+2:]))
		if m == 0xDA {
			return segs, data[i+2+n : len(data)-2]
		}
		segs[m] = append(segs[m], data[i:i+2+n]...)
		i += 2 + n
	}
	t.Fatal("grey JPEG without a scan")
	return nil, nil
}

// colourFile is one RGB or four-component test file.
type colourFile struct {
	name string
	data func(t testing.TB) []byte
}

// colourFiles lists RGB, CMYK and YCCK files of every layout image/jpeg
// reads: built here (baseline, a scan a component), Go's own test files
// (interleaved baseline), and progressive ones jpegtran made from the
// built ones (testdata/, see updateColourFiles).
func colourFiles() []colourFile {
	s444 := [][2]int{{1, 1}, {1, 1}, {1, 1}}
	s1111 := [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	s2112 := [][2]int{{2, 2}, {1, 1}, {1, 1}, {2, 2}}
	build := func(k colourKind, w, h int, s [][2]int) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return colourJPEG(t, k, w, h, s) }
	}
	stdlib := func(name string) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return readFile(t, filepath.Join(goTestdata, name)) }
	}
	local := func(name string) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return readFile(t, filepath.Join("testdata", name)) }
	}
	return []colourFile{
		{"rgb-ids 4:4:4", build(rgbByIDs, 300, 200, s444)},
		{"rgb-adobe 4:4:4 odd size", build(rgbAdobe, 301, 203, s444)},
		{"rgb-ids 2x2 1x1 1x1", build(rgbByIDs, 300, 200, [][2]int{{2, 2}, {1, 1}, {1, 1}})},
		{"cmyk 1x1", build(cmykAdobe, 300, 200, s1111)},
		{"cmyk 2x2 1x1 1x1 2x2", build(cmykAdobe, 302, 201, s2112)},
		{"ycck 1x1", build(ycckAdobe, 300, 200, s1111)},
		{"ycck 2x2 1x1 1x1 2x2", build(ycckAdobe, 300, 200, s2112)},
		{"stdlib video-001.rgb", stdlib("video-001.rgb.jpeg")},
		{"stdlib video-001.cmyk", stdlib("video-001.cmyk.jpeg")},
		{"rgb progressive", local("rgb.progressive.jpeg")},
		{"cmyk progressive", local("cmyk.progressive.jpeg")},
		{"ycck progressive", local("ycck.progressive.jpeg")},
	}
}

// progressiveColourFiles are the files under testdata/ that
// updateColourFiles writes, and what from.
var progressiveColourFiles = []struct {
	name     string
	kind     colourKind
	sampling [][2]int
}{
	{"rgb.progressive.jpeg", rgbByIDs, [][2]int{{1, 1}, {1, 1}, {1, 1}}},
	{"cmyk.progressive.jpeg", cmykAdobe, [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}},
	{"ycck.progressive.jpeg", ycckAdobe, [][2]int{{2, 2}, {1, 1}, {1, 1}, {2, 2}}},
}

// TestUpdateColourFiles rewrites the progressive files when asked.
func TestUpdateColourFiles(t *testing.T) {
	if !*updateColourFiles {
		return
	}
	for _, f := range progressiveColourFiles {
		cmd := exec.Command("jpegtran", "-progressive", "-copy", "none")
		cmd.Stdin = bytes.NewReader(colourJPEG(t, f.kind, 304, 208, f.sampling))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("jpegtran: %v", err)
		}
		if err := os.WriteFile(filepath.Join("testdata", f.name), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var goTestdata = filepath.Join(runtime.GOROOT(), "src", "image", "testdata")

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// pix4 returns the bytes of an RGBA or CMYK image, four a pixel, with its stride.
func pix4(img image.Image) ([]uint8, int, bool) {
	switch m := img.(type) {
	case *image.RGBA:
		return m.Pix, m.Stride, true
	case *image.CMYK:
		return m.Pix, m.Stride, true
	}
	return nil, 0, false
}

// TestColourFilesDCImageMatchesImageJPEG checks the DC-only image of RGB,
// CMYK and YCCK files against image/jpeg's full decode: the same image type
// (so the pipeline's CMYK profiles apply), and each channel within a level
// on average of the full decode's mean over the same blocks (see
// channelCells), which shows the Adobe inversion and the YCCK conversion
// are image/jpeg's. Every scale gives one verdict: 1/8 the DC-only image,
// 1/2 and 1/4 image/jpeg's full-size picture, which agrees with it, and
// without full-size decodes the DC-only image again.
func TestColourFilesDCImageMatchesImageJPEG(t *testing.T) {
	for _, f := range colourFiles() {
		t.Run(f.name, func(t *testing.T) {
			data := f.data(t)
			ref, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("image/jpeg: %v", err)
			}
			h := ReadHeader(data)
			if !h.Scales() || h.ReducedScales() {
				t.Fatalf("Scales %v, ReducedScales %v: want the DC-only decoder alone", h.Scales(), h.ReducedScales())
			}
			dc, err := Decode(data, h, 8)
			if err != nil {
				t.Fatalf("Decode at 1/8: %v", err)
			}
			if fmt.Sprintf("%T", dc) != fmt.Sprintf("%T", ref) {
				t.Fatalf("Decode at 1/8 gives %T, image/jpeg %T", dc, ref)
			}
			w, hgt := ScaledSize(ref.Bounds().Dx(), ref.Bounds().Dy(), 8)
			if dc.Bounds() != image.Rect(0, 0, w, hgt) {
				t.Fatalf("Decode at 1/8: bounds %v, want %dx%d", dc.Bounds(), w, hgt)
			}
			a, aStride, _ := pix4(ref)
			b, bStride, _ := pix4(dc)
			for ch, cell := range channelCells(h) {
				mean, worst := cellDiff(a, aStride, ref.Bounds(), b, bStride, ch, cell[0], cell[1])
				t.Logf("channel %d over %dx%d blocks: mean difference %.2f, max %.1f", ch, cell[0], cell[1], mean, worst)
				if mean > 1.0 {
					t.Errorf("channel %d: mean difference %.2f from image/jpeg's block means, want <= 1", ch, mean)
				}
			}
			for _, denom := range []int{4, 2, 1} {
				img, err := Decode(data, h, denom)
				if err != nil {
					t.Fatalf("Decode at 1/%d: %v", denom, err)
				}
				if !sameImage(img, ref) {
					t.Errorf("Decode at 1/%d: %T %v, want image/jpeg's full-size picture", denom, img, img.Bounds())
				}
				if denom == 1 {
					continue
				}
				img, err = DecodeScaled(data, h, denom)
				if err != nil || !sameImage(img, dc) {
					t.Errorf("DecodeScaled at 1/%d: %v, want the 1/8 DC-only image", denom, err)
				}
			}
		})
	}
}

// sameImage reports whether a and b are RGBA or CMYK images of the same bounds and pixels.
func sameImage(a, b image.Image) bool {
	pa, _, okA := pix4(a)
	pb, _, okB := pix4(b)
	return okA && okB && fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) && a.Bounds() == b.Bounds() && bytes.Equal(pa, pb)
}

// cellDiff compares channel ch of a full decode a (bounds r) with that of
// b, its 1/8 DC-only image, over cells of fx x fy pixels of b: the mean of
// each cell's 8fx x 8fy pixels of a (clipped to r) against the mean of its
// pixels in b. The last row and column of cells, over the encoder's
// padding, are left out. It returns the mean and largest difference.
func cellDiff(a []uint8, aStride int, r image.Rectangle, b []uint8, bStride, ch, fx, fy int) (mean, worst float64) {
	bw, bh := (r.Dx()+7)/8, (r.Dy()+7)/8
	cw, chh := (bw+fx-1)/fx-1, (bh+fy-1)/fy-1
	n := 0
	for cy := 0; cy < chh; cy++ {
		for cx := 0; cx < cw; cx++ {
			var sa, sb, na, nb float64
			for y := cy * fy * 8; y < min((cy+1)*fy*8, r.Dy()); y++ {
				for x := cx * fx * 8; x < min((cx+1)*fx*8, r.Dx()); x++ {
					sa += float64(a[y*aStride+4*x+ch])
					na++
				}
			}
			for y := cy * fy; y < min((cy+1)*fy, bh); y++ {
				for x := cx * fx; x < min((cx+1)*fx, bw); x++ {
					sb += float64(b[y*bStride+4*x+ch])
					nb++
				}
			}
			d := math.Abs(sa/na - sb/nb)
			mean += d
			worst = max(worst, d)
			n++
		}
	}
	return mean / float64(max(n, 1)), worst
}
