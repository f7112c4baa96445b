package thumbnail

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/HugoSmits86/nativewebp"
	"github.com/klauspost/compress/zlib"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/colortest"
	"golang.org/x/image/webp"
)

// The colour chart: 8x8 flat patches of 64 pixels, 512x512 in all, which a
// 128x128 thumbnail turns into 16-pixel patches. Each patch is measured on
// its central 6x6 pixels, clear of the resize filter's reach.
const (
	chartPatches = 8
	chartPatch   = 64
)

// chartRGB returns the 64 RGB device values of the chart: every combination
// of four levels.
func chartRGB() [][3]uint8 {
	levels := []uint8{0, 90, 170, 255}
	var v [][3]uint8
	for _, r := range levels {
		for _, g := range levels {
			for _, b := range levels {
				v = append(v, [3]uint8{r, g, b})
			}
		}
	}
	return v
}

// chartImage paints the chart with the given colours, one a patch.
func chartImage(colours []color.Color, model color.Model) image.Image {
	r := image.Rect(0, 0, chartPatches*chartPatch, chartPatches*chartPatch)
	var img interface {
		image.Image
		Set(x, y int, c color.Color)
	}
	switch model {
	case color.GrayModel:
		img = image.NewGray(r)
	default:
		img = image.NewNRGBA(r)
	}
	for y := range r.Dy() {
		for x := range r.Dx() {
			img.Set(x, y, colours[(y/chartPatch)*chartPatches+x/chartPatch])
		}
	}
	return img
}

// rgbChart is the RGB chart as an image.
func rgbChart() image.Image {
	var cs []color.Color
	for _, v := range chartRGB() {
		cs = append(cs, color.NRGBA{v[0], v[1], v[2], 255})
	}
	return chartImage(cs, color.NRGBAModel)
}

// greyChart is a ramp of 64 greys.
func greyChart() image.Image {
	var cs []color.Color
	for i := range chartPatches * chartPatches {
		cs = append(cs, color.Gray{uint8(i * 4)})
	}
	return chartImage(cs, color.GrayModel)
}

// patchValues returns each patch's device values, averaged over its central
// 6x6 pixels on an image whose patches are size pixels wide: 1 value for
// grey, 4 for CMYK, 3 otherwise.
func patchValues(img image.Image, size int) [][]float64 {
	var out [][]float64
	lo, hi := size*5/16, size*11/16
	for p := range chartPatches * chartPatches {
		px, py := (p%chartPatches)*size, (p/chartPatches)*size
		sum := make([]float64, 4)
		n := 0
		channels := 3
		for y := py + lo; y < py+hi; y++ {
			for x := px + lo; x < px+hi; x++ {
				switch m := img.(type) {
				case *image.Gray:
					channels = 1
					sum[0] += float64(m.GrayAt(x, y).Y)
				case *image.CMYK:
					channels = 4
					c := m.CMYKAt(x, y)
					sum[0], sum[1], sum[2], sum[3] = sum[0]+float64(c.C), sum[1]+float64(c.M), sum[2]+float64(c.Y), sum[3]+float64(c.K)
				default:
					c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
					sum[0], sum[1], sum[2] = sum[0]+float64(c.R), sum[1]+float64(c.G), sum[2]+float64(c.B)
				}
				n++
			}
		}
		v := sum[:channels]
		for i := range v {
			v[i] /= float64(n)
		}
		out = append(out, v)
	}
	return out
}

// decodeImage decodes a JPEG, PNG or WebP with the standard decoders (not
// image.Decode, which may pick another registered JPEG decoder).
func decodeImage(t *testing.T, data []byte) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		img, err = jpeg.Decode(bytes.NewReader(data))
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		img, err = png.Decode(bytes.NewReader(data))
	default:
		img, err = webp.Decode(bytes.NewReader(data))
	}
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	return img
}

// withJPEGICC inserts profile after the SOI marker as APP2 ICC_PROFILE
// segments of at most chunk bytes, written in the given order of sequence
// numbers (nil: in order).
func withJPEGICC(jpg, profile []byte, chunk int, order []int) []byte {
	var parts [][]byte
	for len(profile) > 0 {
		n := min(chunk, len(profile))
		parts = append(parts, profile[:n])
		profile = profile[n:]
	}
	if order == nil {
		for i := range parts {
			order = append(order, i)
		}
	}
	out := append([]byte(nil), jpg[:2]...)
	for _, i := range order {
		seg := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(len(parts)))
		seg = append(seg, parts[i]...)
		out = append(out, 0xFF, 0xE2, byte((len(seg)+2)>>8), byte(len(seg)+2))
		out = append(out, seg...)
	}
	return append(out, jpg[2:]...)
}

// colourPNGChunk builds one PNG chunk with its CRC.
func colourPNGChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// withPNGChunks inserts chunks after IHDR.
func withPNGChunks(p []byte, chunks ...[]byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte(nil), p[:ihdrEnd]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[ihdrEnd:]...)
}

// iccpChunk is PNG's iCCP: a name, compression method 0, the zlib stream.
func iccpChunk(profile []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(profile)
	w.Close()
	return colourPNGChunk("iCCP", append([]byte("ICC profile\x00\x00"), z.Bytes()...))
}

// chrmChunk is PNG's cHRM for white, red, green, blue chromaticities.
func chrmChunk(v [8]float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, uint32(x*100000+0.5))
	}
	return colourPNGChunk("cHRM", b)
}

// gamaChunk is PNG's gAMA for a file gamma of g (0.45455 for 1/2.2).
func gamaChunk(g float64) []byte {
	return colourPNGChunk("gAMA", binary.BigEndian.AppendUint32(nil, uint32(g*100000+0.5)))
}

// webpWithICC encodes img as lossless WebP in the extended format with an
// ICCP chunk.
func webpWithICC(t *testing.T, img image.Image, profile []byte) []byte {
	t.Helper()
	var simple bytes.Buffer
	if err := nativewebp.Encode(&simple, img, nil); err != nil {
		t.Fatal(err)
	}
	s := simple.Bytes()
	if string(s[12:16]) != "VP8L" {
		t.Fatalf("nativewebp wrote %q, want a VP8L chunk", s[12:16])
	}
	vp8l := s[12:]
	chunk := func(typ string, data []byte) []byte {
		b := append([]byte(typ), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(b[4:], uint32(len(data)))
		b = append(b, data...)
		if len(data)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	w, h := img.Bounds().Dx()-1, img.Bounds().Dy()-1
	vp8x := []byte{0x20, 0, 0, 0, byte(w), byte(w >> 8), byte(w >> 16), byte(h), byte(h >> 8), byte(h >> 16)}
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, chunk("ICCP", profile)...)
	body = append(body, vp8l...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

// encodeChartJPEG encodes img at quality 100.
func encodeChartJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeChartPNG encodes img.
func encodeChartPNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpgicc runs LittleCMS's jpgicc with args, in dir, and returns the output
// file's bytes. It fails when jpgicc is not installed.
func jpgicc(t *testing.T, dir string, in []byte, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("jpgicc")
	if err != nil {
		t.Fatalf("jpgicc (LittleCMS, Debian package liblcms2-utils) is not installed: %v", err)
	}
	src, dst := filepath.Join(dir, "in.jpg"), filepath.Join(dir, "out.jpg")
	if err := os.WriteFile(src, in, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(args, src, dst)...).CombinedOutput()
	if err != nil {
		t.Fatalf("jpgicc %s: %v: %s", strings.Join(args, " "), err, out)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// containerCase is one source for the end-to-end colour test.
type containerCase struct {
	name      string
	data      []byte
	profile   string  // the profile LittleCMS converts the source values from
	profileIn string  // source-profile the thumbnail must report
	mean, max float64 // CIEDE2000 targets
}

// TestColourThroughContainers makes thumbnails of colour charts carrying a
// profile in each container and compares their flat patches with
// LittleCMS's sRGB rendering of the source's own (decoded) values.
func TestColourThroughContainers(t *testing.T) {
	dir := t.TempDir()
	p3 := readICC(t, p3ICC)
	a98 := readICC(t, systemICCDir+"/ghostscript/a98.icc")
	romm := readICC(t, systemICCDir+"/ghostscript/rommrgb.icc")
	greyL := readICC(t, systemICCDir+"/Gray-CIE_L.icc")
	rgbJPEG := encodeChartJPEG(t, rgbChart())
	rgbPNG := encodeChartPNG(t, rgbChart())
	cases := []containerCase{
		{"JPEG Display P3", withJPEGICC(rgbJPEG, p3, 65519, nil), p3ICC, "Display P3", 1, 2},
		{"JPEG Display P3 in 3 segments out of order", withJPEGICC(rgbJPEG, p3, 200, []int{2, 0, 1}), p3ICC, "Display P3", 1, 2},
		{"JPEG Adobe RGB", withJPEGICC(rgbJPEG, a98, 65519, nil), systemICCDir + "/ghostscript/a98.icc", "Adobe RGB (1998)", 1, 2},
		{"JPEG ProPhoto", withJPEGICC(rgbJPEG, romm, 65519, nil), systemICCDir + "/ghostscript/rommrgb.icc", "ProPhoto RGB", 1, 2},
		{"JPEG grey, L* profile", withJPEGICC(encodeChartJPEG(t, greyChart()), greyL, 65519, nil), systemICCDir + "/Gray-CIE_L.icc", "Gray CIE*L", 1, 2},
		{"JPEG Display P3 written by jpgicc", jpgicc(t, dir, rgbJPEG, "-q100", "-e", "-o"+p3ICC), p3ICC, "Display P3", 1, 2},
		{"JPEG CMYK press profile written by jpgicc (3 segments)", jpgicc(t, dir, rgbJPEG, "-q100", "-e", "-o"+systemICCDir+"/ghostscript/default_cmyk.icc"),
			systemICCDir + "/ghostscript/default_cmyk.icc", "Artifex CMYK SWOP Profile", 1.5, 3},
		{"PNG Display P3", withPNGChunks(rgbPNG, iccpChunk(p3)), p3ICC, "Display P3", 1, 2},
		{"PNG ProPhoto", withPNGChunks(rgbPNG, iccpChunk(romm)), systemICCDir + "/ghostscript/rommrgb.icc", "ProPhoto RGB", 1, 2},
		{"PNG grey, L* profile", withPNGChunks(encodeChartPNG(t, greyChart()), iccpChunk(greyL)), systemICCDir + "/Gray-CIE_L.icc", "Gray CIE*L", 1, 2},
		{"PNG cHRM and gAMA of Adobe RGB", withPNGChunks(rgbPNG, gamaChunk(1/2.2), chrmChunk([8]float64{0.3127, 0.3290, 0.64, 0.33, 0.21, 0.71, 0.15, 0.06})),
			systemICCDir + "/compatibleWithAdobeRGB1998.icc", "Adobe RGB (1998)", 1, 2},
		{"WebP Display P3", webpWithICC(t, rgbChart(), p3), p3ICC, "Display P3", 1, 2},
		{"WebP Adobe RGB", webpWithICC(t, rgbChart(), a98), systemICCDir + "/ghostscript/a98.icc", "Adobe RGB (1998)", 1, 2},
	}
	var table strings.Builder
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MakeBytes(c.data, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if r.SourceProfile != c.profileIn || r.ColourFallback != "" {
				t.Errorf("SourceProfile %q, ColourFallback %q; want %q and none", r.SourceProfile, r.ColourFallback, c.profileIn)
			}
			src := patchValues(decodeImage(t, c.data), chartPatch)
			for _, v := range src {
				if len(v) == 4 { // transicc takes CMYK in percent
					for i := range v {
						v[i] *= 100.0 / 255
					}
				}
			}
			ref, err := colortest.Transicc(c.profile, src)
			if err != nil {
				t.Fatal(err)
			}
			got := patchValues(decodeImage(t, r.Data), r.Width/chartPatches)
			des := make([]float64, len(got))
			for i, g := range got {
				if len(g) == 1 {
					g = []float64{g[0], g[0], g[0]}
				}
				des[i] = colortest.SRGBDeltaE([3]float64{g[0], g[1], g[2]}, ref[i])
			}
			s := colortest.Summarize(des)
			fmt.Fprintf(&table, "| %s | %s | %.2f | %.2f |\n", c.name, r.SourceProfile, s.Mean, s.Max)
			if s.Mean > c.mean || s.Max > c.max {
				t.Errorf("CIEDE2000 against LittleCMS: mean %.2f max %.2f, target mean <= %.1f max <= %.1f", s.Mean, s.Max, c.mean, c.max)
			}
		})
	}
	t.Logf("source | profile | mean | max\n%s", table.String())
}

// TestColourWithoutUsableProfile checks untagged sources, CMYK without a
// profile and broken profiles: the thumbnail is made, its pixels are the
// source's values taken as sRGB (CMYK through the decoder's conversion), and
// a broken profile is reported.
func TestColourWithoutUsableProfile(t *testing.T) {
	dir := t.TempDir()
	rgbJPEG := encodeChartJPEG(t, rgbChart())
	p3 := readICC(t, p3ICC)
	cmykJPEG := jpgicc(t, dir, rgbJPEG, "-q100", "-o"+systemICCDir+"/ghostscript/default_cmyk.icc") // no -e: untagged CMYK
	broken := append([]byte(nil), p3...)
	copy(broken[36:], "xxxx")
	cases := []struct {
		name, fallback string
		data           []byte
	}{
		{"untagged JPEG", "", rgbJPEG},
		{"untagged PNG", "", encodeChartPNG(t, rgbChart())},
		{"untagged CMYK JPEG", "", cmykJPEG},
		{"JPEG with a broken profile", "embedded ICC profile not used", withJPEGICC(rgbJPEG, broken, 65519, nil)},
		{"JPEG with half a profile", "embedded ICC profile not used", withJPEGICC(rgbJPEG, p3[:300], 65519, nil)},
		{"PNG with a broken iCCP stream", "unreadable", withPNGChunks(encodeChartPNG(t, rgbChart()), colourPNGChunk("iCCP", []byte("ICC profile\x00\x00not zlib")))},
		{"CMYK JPEG with an RGB profile", "on a CMYK image", withJPEGICC(cmykJPEG, p3, 65519, nil)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MakeBytes(c.data, DefaultOptions())
			if err != nil {
				t.Fatalf("a good image with a bad profile must still make a thumbnail: %v", err)
			}
			if r.SourceProfile != "" {
				t.Errorf("SourceProfile = %q, want none", r.SourceProfile)
			}
			if c.fallback == "" && r.ColourFallback != "" || !strings.Contains(r.ColourFallback, c.fallback) {
				t.Errorf("ColourFallback = %q, want %q", r.ColourFallback, c.fallback)
			}
			src := patchValues(decodeImage(t, c.data), chartPatch)
			got := patchValues(decodeImage(t, r.Data), r.Width/chartPatches)
			var des []float64
			for i, s := range src {
				want := [3]float64{s[0], s[1], s[2]}
				if len(s) == 4 { // the decoder's CMYK to RGB
					c := color.CMYK{uint8(s[0] + 0.5), uint8(s[1] + 0.5), uint8(s[2] + 0.5), uint8(s[3] + 0.5)}
					r, g, b := color.CMYKToRGB(c.C, c.M, c.Y, c.K)
					want = [3]float64{float64(r), float64(g), float64(b)}
				}
				des = append(des, colortest.SRGBDeltaE([3]float64{got[i][0], got[i][1], got[i][2]}, want))
			}
			if s := colortest.Summarize(des); s.Mean > 1 || s.Max > 2 {
				t.Errorf("pixels changed: CIEDE2000 from the source values mean %.2f max %.2f", s.Mean, s.Max)
			}
		})
	}
}
