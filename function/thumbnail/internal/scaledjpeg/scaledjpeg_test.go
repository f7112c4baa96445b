package scaledjpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// stdlibJPEGs lists the JPEG files of Go's own image test data: every chroma
// subsampling, progressive, CMYK, RGB, grey and restart markers.
func stdlibJPEGs(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", "*.jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found %d JPEG files under GOROOT, want the standard library's test data", len(files))
	}
	return files
}

// boxPlane averages a plane over denom x denom boxes, clipped to the plane.
func boxPlane(pix []uint8, stride, w, h, denom int) (out []float64, ow, oh int) {
	ow, oh = (w+denom-1)/denom, (h+denom-1)/denom
	out = make([]float64, ow*oh)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			sum, n := 0, 0
			for y := oy * denom; y < min(h, (oy+1)*denom); y++ {
				for x := ox * denom; x < min(w, (ox+1)*denom); x++ {
					sum += int(pix[y*stride+x])
					n++
				}
			}
			out[oy*ow+ox] = float64(sum) / float64(n)
		}
	}
	return out, ow, oh
}

// planeDiff compares a decoded plane with the reference box averages.
type planeDiff struct{ mean, max float64 }

func comparePlane(got []uint8, stride int, want []float64, w, h int) planeDiff {
	var d planeDiff
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			e := math.Abs(float64(got[y*stride+x]) - want[y*w+x])
			d.mean += e
			d.max = max(d.max, e)
		}
	}
	d.mean /= float64(w * h)
	return d
}

// plane is one sample plane of a decoded image, with its size.
type plane struct {
	pix          []uint8
	stride, w, h int
}

// planesOf returns the sample planes of a grey or YCbCr image, nil for other models.
func planesOf(img image.Image) []plane {
	switch m := img.(type) {
	case *image.Gray:
		return []plane{{m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy()}}
	case *image.YCbCr:
		ch := len(m.Cb) / m.CStride
		cw := m.CStride
		return []plane{
			{m.Y, m.YStride, m.Rect.Dx(), m.Rect.Dy()},
			{m.Cb, m.CStride, cw, ch},
			{m.Cr, m.CStride, cw, ch},
		}
	}
	return nil
}

// toRGBA converts any image to RGBA for comparing images of other models.
func toRGBA(img image.Image) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// compareToReference checks a scaled decode against the box average of
// image/jpeg's full decode, plane by plane when both have planes, in RGBA
// otherwise. It returns the worst mean and max differences.
func compareToReference(t *testing.T, name string, data []byte, denom int, got image.Image) planeDiff {
	t.Helper()
	ref, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: reference decode: %v", name, err)
	}
	wantW, wantH := ScaledSize(ref.Bounds().Dx(), ref.Bounds().Dy(), denom)
	if got.Bounds().Dx() != wantW || got.Bounds().Dy() != wantH {
		t.Fatalf("%s at 1/%d: size %v, want %dx%d", name, denom, got.Bounds().Size(), wantW, wantH)
	}
	var worst planeDiff
	refPlanes, gotPlanes := planesOf(ref), planesOf(got)
	if len(refPlanes) == 0 || len(refPlanes) != len(gotPlanes) ||
		fmt.Sprintf("%T", ref) != fmt.Sprintf("%T", got) ||
		(isYCbCr(ref) && ref.(*image.YCbCr).SubsampleRatio != got.(*image.YCbCr).SubsampleRatio) {
		r, g := toRGBA(ref), toRGBA(got)
		for c := 0; c < 3; c++ {
			refC, gotC := channel(r, c), channel(g, c)
			want, w, h := boxPlane(refC, r.Rect.Dx(), r.Rect.Dx(), r.Rect.Dy(), denom)
			d := comparePlane(gotC, g.Rect.Dx(), want, w, h)
			worst = planeDiff{max(worst.mean, d.mean), max(worst.max, d.max)}
		}
		return worst
	}
	for i, rp := range refPlanes {
		want, w, h := boxPlane(rp.pix, rp.stride, rp.w, rp.h, denom)
		gp := gotPlanes[i]
		// image/jpeg may pad a chroma plane to whole blocks (video-001.221212
		// has 112 rows of chroma for 103 of luma): one sample more is padding.
		if gp.w > w || gp.h > h || w-gp.w > 1 || h-gp.h > 1 {
			t.Fatalf("%s at 1/%d: plane %d is %dx%d, want %dx%d", name, denom, i, gp.w, gp.h, w, h)
		}
		d := comparePlane(gp.pix, gp.stride, want, w, gp.h)
		worst = planeDiff{max(worst.mean, d.mean), max(worst.max, d.max)}
	}
	return worst
}

func isYCbCr(img image.Image) bool {
	_, ok := img.(*image.YCbCr)
	return ok
}

// channel extracts one channel of an RGBA image as a packed plane.
func channel(m *image.RGBA, c int) []uint8 {
	out := make([]uint8, m.Rect.Dx()*m.Rect.Dy())
	for i := range out {
		out[i] = m.Pix[4*i+c]
	}
	return out
}

// fullSizeFallback names the standard test files, CMYK and RGB, that Decode
// reads at 1/8 from the DC coefficients alone (checked channel by channel in
// TestColourFilesDCImageMatchesImageJPEG) and hands to image/jpeg at full
// size at every other scale.
var fullSizeFallback = map[string]bool{
	"video-001.cmyk.jpeg": true,
	"video-001.rgb.jpeg":  true,
}

// maxMeanDiff bounds the mean difference from the reference box average, per
// scale. 1/8 is exact up to rounding and clamping; 1/2 and 1/4 use a reduced
// IDCT, a smoother low-pass than a box, which differs at sharp edges.
var maxMeanDiff = map[int]float64{8: 1.0, 4: 3.5, 2: 5.5, 1: 0}

func TestDecodeMatchesBoxAverageOfStandardDecode(t *testing.T) {
	for _, path := range stdlibJPEGs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		for _, denom := range []int{8, 4, 2, 1} {
			if denom == 8 && fullSizeFallback[name] {
				continue
			}
			t.Run(fmt.Sprintf("%s/1:%d", name, denom), func(t *testing.T) {
				img, err := Decode(data, ReadHeader(data), denom)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				want := denom
				if fullSizeFallback[name] || (denom != 8 && img.Bounds().Dx() == 150) {
					// Handed to image/jpeg at full size: a kind the
					// scaled decoders leave to it, or a layout jpegn
					// does not scale.
					want = 1
				}
				d := compareToReference(t, name, data, want, img)
				if d.mean > maxMeanDiff[want] {
					t.Errorf("mean difference from the box average %.2f, want <= %.2f (max %.1f)", d.mean, maxMeanDiff[want], d.max)
				}
			})
		}
	}
}

// TestDCPathTakesEveryCommonKind makes sure the fast path, not the fallback,
// decodes every grey, YCbCr, RGB and CMYK test file, baseline and progressive.
func TestDCPathTakesEveryCommonKind(t *testing.T) {
	for _, path := range stdlibJPEGs(t) {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeDC(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !ReadHeader(data).Scales() {
			t.Errorf("%s: the header says the scaled decoders leave it to image/jpeg", name)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", "video-001.jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		data  []byte
		denom int
		want  string
	}{
		{"empty", nil, 8, "missing SOI marker"},
		{"not a JPEG", []byte("\x89PNG\r\n\x1a\n"), 8, "invalid JPEG"},
		{"header only", valid[:200], 8, "length 31 does not fit the data"},
		{"bad scale", valid, 3, "scale 1/3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data, ReadHeader(tt.data), tt.denom)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode: error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDenom(t *testing.T) {
	tests := []struct {
		name               string
		srcW, srcH, dW, dH int
		want               int
	}{
		{"12 MP to 171x128", 4000, 3000, 171, 128, 8},
		{"24 MP to 192x128", 6000, 4000, 192, 128, 8},
		{"full HD to 228x128", 1920, 1080, 228, 128, 4},
		{"1024x768 to 171x128", 1024, 768, 171, 128, 2},
		{"1/2 keeps at least the target", 600, 400, 192, 128, 2},
		{"small: at least the target", 500, 300, 200, 128, 2},
		{"no scale keeps the target", 300, 200, 192, 128, 1},
		{"smaller than the target", 100, 80, 160, 128, 1},
		{"panorama", 12000, 1000, 1536, 128, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Denom(tt.srcW, tt.srcH, tt.dW, tt.dH); got != tt.want {
				t.Errorf("Denom(%d, %d, %d, %d) = %d, want %d", tt.srcW, tt.srcH, tt.dW, tt.dH, got, tt.want)
			}
		})
	}
}
