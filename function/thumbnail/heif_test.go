package thumbnail

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/nfnt/resize"

	hb "github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif/heifbuild"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"
)

// decodeAVIFCopy decodes an AVIF thumbnail with libavif into a Go image.
func decodeAVIFCopy(b []byte) (image.Image, error) {
	var out *image.NRGBA
	_, err := wasmcodec.DecodeAVIF(context.Background(), b, 256<<20, func(img *image.RGBA) error {
		out = image.NewNRGBA(img.Bounds())
		draw.Draw(out, out.Bounds(), img, image.Point{}, draw.Src)
		return nil
	})
	return out, err
}

// heifSource is the picture of testdata/heif/crop<W>x<H>.* and tile64.*:
// a crop of testimage.Photo(512, 384), as heif-enc was given it.
func heifSourceCrop(x, y, w, h int) *image.NRGBA {
	src := testimage.Photo(512, 384)
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), src, image.Pt(x, y), draw.Src)
	return out
}

// wantClose fails when got and want differ by more than lossy coding does.
func wantClose(t testing.TB, got, want image.Image, maxMean float64) {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	if _, mean := imageDiff(t, got, want); mean > maxMean {
		t.Errorf("mean difference %.1f per channel, want at most %.1f", mean, maxMean)
	}
}

func TestHEIFInputs(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		w, h   int
	}{
		{"tile64.heic", HEIC, 64, 64},
		{"tile64.avif", AVIF, 64, 64},
		{"crop131x67.heic", HEIC, 131, 67},
		{"crop131x67.avif", AVIF, 131, 67},
		{"photo-thumb-icc.heic", HEIC, 512, 384},
		{"photo-thumb-icc.avif", AVIF, 512, 384},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := mustMake(t, heifTestdata(t, tt.file), Options{})
			if r.SourceFormat != tt.format || r.SourceWidth != tt.w || r.SourceHeight != tt.h {
				t.Errorf("source %s %dx%d, want %s %dx%d", r.SourceFormat, r.SourceWidth, r.SourceHeight, tt.format, tt.w, tt.h)
			}
			if r.Format != JPEG || r.Width != 128 || r.Height != 128 {
				t.Errorf("thumbnail %s %dx%d, want a 128x128 JPEG (phone formats get JPEG)", r.Format, r.Width, r.Height)
			}
			decodeResult(t, r)
		})
	}
}

// TestHEIFOrientation: the same rotations and mirrors, written as irot and
// imir properties, come out upright from HEIC, where libheif turns the
// picture, and from AVIF, where the pipeline does; EXIF counts only when
// the file has neither property.
func TestHEIFOrientation(t *testing.T) {
	stored := heifSourceCrop(10, 20, 131, 67)
	exif := func(o int) []byte { return hb.ExifData(o) }
	tests := []struct {
		name  string
		props [][]byte
		exif  []byte
		want  int // EXIF orientation that makes the stored picture upright
	}{
		{"none", nil, nil, 1},
		{"irot 90 anticlockwise", [][]byte{hb.Irot(1)}, nil, 8},
		{"irot 180", [][]byte{hb.Irot(2)}, nil, 3},
		{"irot 270 anticlockwise", [][]byte{hb.Irot(3)}, nil, 6},
		{"imir 0: top-bottom", [][]byte{hb.Imir(0)}, nil, 4},
		{"imir 1: left-right", [][]byte{hb.Imir(1)}, nil, 2},
		{"irot 90 then imir left-right", [][]byte{hb.Irot(1), hb.Imir(1)}, nil, 7},
		{"imir left-right then irot 90", [][]byte{hb.Imir(1), hb.Irot(1)}, nil, 5},
		{"EXIF 6 alone", nil, exif(6), 6},
		{"EXIF 8 alone", nil, exif(8), 8},
		{"irot 270 and EXIF 6, as phones write", [][]byte{hb.Irot(3)}, exif(6), 6},
	}
	for _, tile := range []string{"crop131x67.heic", "crop131x67.avif"} {
		c := codedTestdata(t, tile)
		for _, tt := range tests {
			t.Run(tile+"/"+tt.name, func(t *testing.T) {
				// heif-enc writes an odd-sized HEIC as a one-tile grid
				// cropped to 131x67, an AVIF as one image: the
				// transforms go on the grid or the image.
				var f hb.File
				primary := uint32(1000)
				if c.Type == "av01" {
					f, primary = hb.File{Major: "avif", Compatible: []string{"mif1", "avif"}, Primary: 1, Items: []hb.Item{c.Image(1, tt.props...)}}, 1
				} else {
					f = gridFileOf(c, 1, 1, 131, 67, tt.props...)
				}
				if tt.exif != nil {
					f.Items = append(f.Items, hb.Item{ID: 2000, Type: "Exif", Data: tt.exif})
					f.Refs = append(f.Refs, hb.Ref{Type: "cdsc", From: 2000, To: []uint32{primary}})
				}
				r := mustMake(t, f.Bytes(), Options{Width: 256, Height: 256, Mode: ModeFit, Format: PNG})
				wantClose(t, decodeResult(t, r), orient(stored, tt.want), 6)
			})
		}
	}
}

// TestHEIFGrid: a grid of tiles comes out as one picture, cropped to the
// grid's output size, from libheif and from libavif.
func TestHEIFGrid(t *testing.T) {
	tile := heifSourceCrop(200, 150, 64, 64)
	want := image.NewNRGBA(image.Rect(0, 0, 180, 100))
	for y := 0; y < 100; y += 64 {
		for x := 0; x < 180; x += 64 {
			draw.Draw(want, image.Rect(x, y, x+64, y+64), tile, image.Point{}, draw.Src)
		}
	}
	for _, name := range []string{"tile64.heic", "tile64.avif"} {
		t.Run(name, func(t *testing.T) {
			data := gridOf(codedTestdata(t, name), 2, 3, 180, 100)
			r := mustMake(t, data, Options{Width: 256, Height: 256, Mode: ModeFit, Format: PNG})
			if r.SourceWidth != 180 || r.SourceHeight != 100 {
				t.Errorf("source %dx%d, want the grid's 180x100", r.SourceWidth, r.SourceHeight)
			}
			wantClose(t, decodeResult(t, r), want, 6)
		})
	}
}

// TestHEIFThumbnailItem: a thumbnail item at least twice the size needed
// is decoded instead of the primary image, and gives the same picture.
func TestHEIFThumbnailItem(t *testing.T) {
	for _, name := range []string{"photo-thumb-icc.heic"} {
		t.Run(name, func(t *testing.T) {
			data := heifTestdata(t, name)
			before := thumbnailItemsDecoded.Load()
			small := mustMake(t, data, Options{Width: 60, Height: 45, Mode: ModeFit, Format: PNG})
			if thumbnailItemsDecoded.Load() != before+1 {
				t.Errorf("a 160x120 thumbnail item was not used for a 60x45 thumbnail")
			}
			large := mustMake(t, data, Options{Width: 128, Height: 96, Mode: ModeFit, Format: PNG})
			if thumbnailItemsDecoded.Load() != before+1 {
				t.Errorf("the 160x120 thumbnail item was used for a 128x96 thumbnail")
			}
			if large.Width != 128 || small.Width != 60 || small.Height != 45 {
				t.Errorf("sizes %dx%d and %dx%d", small.Width, small.Height, large.Width, large.Height)
			}
			// The thumbnail item holds the same picture, coded smaller.
			shrunk := image.NewNRGBA(image.Rect(0, 0, 60, 45))
			src := decodeResult(t, large)
			for y := 0; y < 45; y++ {
				for x := 0; x < 60; x++ {
					shrunk.Set(x, y, src.At(x*128/60, y*96/45))
				}
			}
			wantClose(t, decodeResult(t, small), shrunk, 12)
		})
	}
}

// childEnv marks the test binary run as a child by the lazy-start test.
const childEnv = "THUMBNAIL_TEST_WASM_CHILD"

// TestWebAssemblyStartsOnlyWhenNeeded runs a fresh process (this test
// binary) that makes JPEG, PNG, GIF and lossless WebP thumbnails and
// reports how many WebAssembly runtimes it started, then an HEIC one.
func TestWebAssemblyStartsOnlyWhenNeeded(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		photo := quadrants(300, 200, red, green, blue, white)
		jpg := encodeJPEGBytes(t, photo)
		for _, f := range []Format{JPEG, PNG, GIF} {
			mustMake(t, jpg, Options{Format: f})
		}
		lossless, _, err := webpLossless(photo)
		if err != nil {
			t.Fatal(err)
		}
		mustMake(t, lossless, Options{})
		fmt.Printf("runtimes after JPEG, PNG, GIF, lossless WebP: %d\n", wasmcodec.RuntimesStarted())
		mustMake(t, heifTestdata(t, "tile64.heic"), Options{})
		fmt.Printf("runtimes after HEIC: %d\n", wasmcodec.RuntimesStarted())
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWebAssemblyStartsOnlyWhenNeeded$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, want := range []string{"runtimes after JPEG, PNG, GIF, lossless WebP: 0", "runtimes after HEIC: 1"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("child output lacks %q:\n%s", want, strings.TrimSpace(string(out)))
		}
	}
}

// TestHEIFColourProfile: photo-thumb-icc.* carry the sRGB numbers of
// testimage.Photo(512, 384) tagged with the Adobe RGB (1998) profile in colr
// (ImageMagick assigns a profile to an untagged image rather than
// converting). The colour step must honour the tag: the same numbers read
// as Adobe RGB are more saturated colours, so the thumbnail moves away from
// the untagged picture, towards more saturation, and HEIC and AVIF agree.
func TestHEIFColourProfile(t *testing.T) {
	untagged := areaAverage(testimage.Photo(512, 384), 4)
	opts := Options{Width: 128, Height: 96, Mode: ModeFit, Format: PNG}
	heic := decodeResult(t, mustMake(t, heifTestdata(t, "photo-thumb-icc.heic"), opts))
	avif := decodeResult(t, mustMake(t, heifTestdata(t, "photo-thumb-icc.avif"), opts))
	// The HEIC with its colr box renamed is read as sRGB: the untagged picture.
	blindData := bytes.Replace(heifTestdata(t, "photo-thumb-icc.heic"), []byte("colrprof"), []byte("xxxxprof"), 1)
	blind := decodeResult(t, mustMake(t, blindData, opts))
	if p := psnrRGB(t, blind, untagged); p < 32 {
		t.Fatalf("HEIC read without its profile: %.1f dB against the picture, want >= 32", p)
	}
	if p := psnrRGB(t, heic, untagged); p > 28 {
		t.Errorf("HEIC with an Adobe RGB profile: %.1f dB against the untagged picture, want the colours converted (< 28 dB)", p)
	}
	if s, s0 := meanSaturation(heic), meanSaturation(blind); s <= s0 {
		t.Errorf("mean saturation %.3f with the profile, %.3f without: Adobe RGB numbers are more saturated in sRGB", s, s0)
	}
	if p := psnrRGB(t, avif, heic); p < 30 {
		t.Errorf("AVIF and HEIC of the same tagged picture differ: %.1f dB", p)
	}
}

// meanSaturation is the mean of (max-min)/255 over the RGB of img.
func meanSaturation(img image.Image) float64 {
	b := img.Bounds()
	var sum float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgba8(img.At(x, y))
			sum += float64(max(c[0], c[1], c[2])-min(c[0], c[1], c[2])) / 255
		}
	}
	return sum / float64(b.Dx()*b.Dy())
}

// TestAVIFThumbnailQuality makes the fill thumbnail of a 600x450 photo coded
// as lossless-quality AVIF (q100, 4:4:4) and compares it with Lanczos3 run
// by nfnt on the photo's own centre square. The two should be nearly the
// same picture (54 dB here); a shrink inside the decoder down to the
// target itself, leaving the filter 150 rows to make 128 from, gave 41 dB
// here and under 30 dB on 12 MP phone photos.
func TestAVIFThumbnailQuality(t *testing.T) {
	photo := testimage.Photo(600, 450)
	src := image.NewNRGBA(photo.Rect)
	draw.Draw(src, src.Rect, photo, image.Point{}, draw.Src)
	data, err := wasmcodec.EncodeAVIF(context.Background(), src, 100, 8, true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := MakeBytes(data, Options{Format: PNG})
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	square := photo.SubImage(image.Rect(75, 0, 525, 450))
	want := toNRGBA(resize.Resize(128, 128, square, resize.Lanczos3))
	if p := psnrRGB(t, got, want); p < 45 {
		t.Errorf("AVIF thumbnail %.1f dB from Lanczos3 of the photo, want >= 45", p)
	} else {
		t.Logf("AVIF thumbnail %.1f dB from Lanczos3 of the photo", p)
	}
}
