package demo

import (
	"bytes"
	"flag"
	"image"
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	_ "golang.org/x/image/webp" // rose.webp
)

var update = flag.Bool("update", false, "rewrite the generated samples in testdata/demo")

const samplesDir = "../testdata/demo"

// TestSamplesMatchGenerators checks that each committed sample is what its generator
// makes. Encoders may change between Go releases, so files are compared by their pixels,
// exactly for lossless formats and within a small tolerance for JPEG.
func TestSamplesMatchGenerators(t *testing.T) {
	for path, gen := range generators {
		t.Run(path, func(t *testing.T) {
			want, err := gen()
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(samplesDir, filepath.FromSlash(path))
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if bytes.Equal(got, want) {
				return
			}
			gotImg, gotFmt, gerr := image.Decode(bytes.NewReader(got))
			wantImg, wantFmt, werr := image.Decode(bytes.NewReader(want))
			if gerr != nil || werr != nil {
				t.Fatalf("%s differs from its generator (decode: %v, %v)", file, gerr, werr)
			}
			tolerance := 0
			if wantFmt == "jpeg" {
				tolerance = 3
			}
			if gotFmt != wantFmt || gotImg.Bounds() != wantImg.Bounds() || maxDiff(gotImg, wantImg) > tolerance {
				t.Errorf("%s differs from its generator; run with -update", file)
			}
		})
	}
}

func TestLoadSamples(t *testing.T) {
	samples, err := LoadSamples(samplesDir)
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]int{}
	broken := 0
	for _, s := range samples {
		if s.Broken {
			broken++
			if _, _, err := image.Decode(bytes.NewReader(s.Data)); err == nil {
				t.Errorf("%s is marked broken but decodes", s.Key)
			}
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(s.Data))
		if err != nil {
			t.Errorf("%s: %v", s.Key, err)
			continue
		}
		formats[format]++
		if s.Key == LargePhotoKey && cfg.Width*cfg.Height < 5_000_000 {
			t.Errorf("the large photo is %dx%d", cfg.Width, cfg.Height)
		}
	}
	for _, f := range []string{"jpeg", "png", "gif", "webp"} {
		if formats[f] == 0 {
			t.Errorf("no %s sample (have %v)", f, formats)
		}
	}
	if broken != 1 {
		t.Errorf("%d broken samples, want 1", broken)
	}
	if !hasKey(samples, "my photos/red flower+bee.jpg") {
		t.Error("no sample with a space and a '+' in its key")
	}
}

func TestPhonePortraitIsStoredSideways(t *testing.T) {
	data, err := phonePortrait()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data[:64], []byte("Exif\x00\x00II*\x00")) {
		t.Fatal("no EXIF segment at the start")
	}
	if i := bytes.Index(data, []byte{0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00}); i < 0 {
		t.Error("no Orientation=6 entry")
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 640 || b.Dy() != 480 {
		t.Fatalf("stored %v, want 640x480 (landscape, to be turned upright)", b)
	}
	// Turned right, the sky (blue) is on top: stored, it is on the right.
	r, _, bl, _ := img.At(b.Dx()-10, b.Dy()/2).RGBA()
	if bl <= r {
		t.Errorf("the right edge is not sky: rgb %d,%d", r, bl)
	}
}

func TestAnimatedGIFHasFrames(t *testing.T) {
	data, err := animatedGIF()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) < 2 {
		t.Errorf("%d frames", len(g.Image))
	}
}

func maxDiff(a, b image.Image) int {
	worst := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, aa := a.At(x, y).RGBA()
			br, bg, bb, ba := b.At(x, y).RGBA()
			for _, d := range []int{int(ar>>8) - int(br>>8), int(ag>>8) - int(bg>>8), int(ab>>8) - int(bb>>8), int(aa>>8) - int(ba>>8)} {
				worst = max(worst, abs(d))
			}
		}
	}
	return worst
}

func hasKey(samples []Sample, key string) bool {
	for _, s := range samples {
		if s.Key == key {
			return true
		}
	}
	return false
}
