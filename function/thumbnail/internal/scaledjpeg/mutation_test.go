package scaledjpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// mutantsPerSeed is how many byte-flipped variants of each seed the
// mutation test tries: THUMBNAIL_MUTANTS in the environment (make fuzz sets
// thousands), else a short run for make test.
func mutantsPerSeed(t *testing.T) int {
	if v := os.Getenv("THUMBNAIL_MUTANTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("THUMBNAIL_MUTANTS=%q: want a count", v)
		}
		return n
	}
	return 40
}

// maxCPUPerDecode bounds one decode of a mutant: the seeds are at most a
// megapixel, which decodes in a few milliseconds.
const maxCPUPerDecode = time.Second

// minMutantPSNR is how close a picture of ours must be to image/jpeg's
// whenever both decode a mutant.
const minMutantPSNR = 20

// TestMutantsAgainstImageJPEG flips one to four bytes of real JPEGs and
// decodes each variant at every scale and with image/jpeg. A variant gets
// one verdict at every scale; when image/jpeg decodes it and we do too, our
// picture is within minMutantPSNR of image/jpeg's (both averaged to the
// 1/8 grid); no decode takes more than maxCPUPerDecode.
func TestMutantsAgainstImageJPEG(t *testing.T) {
	photo, err := testimage.JPEG(testimage.Photo(1200, 900))
	if err != nil {
		t.Fatal(err)
	}
	seeds := map[string][]byte{"photo-1200x900": photo}
	for _, name := range []string{"video-001.jpeg", "video-001.progressive.jpeg", "video-005.gray.q50.progressive.jpeg", "video-001.q50.444.jpeg"} {
		data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		seeds[name] = data
	}
	// RGB, CMYK and YCCK: read at 1/8 from DC alone, at other scales by
	// image/jpeg at full size. Not video-001.rgb: its G and B are sampled
	// at half of R's resolution, and on a 150x103 frame the mean of a
	// 16x16 block stands for each 8x8 quarter of it only to 19.7 dB.
	for _, f := range colourFiles() {
		switch f.name {
		case "rgb-ids 4:4:4", "rgb-ids 2x2 1x1 1x1", "cmyk 2x2 1x1 1x1 2x2", "ycck 1x1", "stdlib video-001.cmyk",
			"rgb progressive", "cmyk progressive", "ycck progressive":
			seeds[f.name] = f.data(t)
		}
	}
	n := mutantsPerSeed(t)
	for name, seed := range seeds {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(seed))))
			var accepted, refused, stdOnly, worstPSNR = 0, 0, 0, math.Inf(1)
			for i := 0; i < n; i++ {
				data := mutate(rng, seed)
				psnr, verdict := checkMutant(t, fmt.Sprintf("mutant %d", i), data)
				switch verdict {
				case "accepted":
					accepted++
					worstPSNR = min(worstPSNR, psnr)
				case "refused":
					refused++
				case "refused, image/jpeg decodes":
					stdOnly++
				}
			}
			t.Logf("%d mutants: %d accepted (worst %.1f dB from image/jpeg), %d refused, of which %d image/jpeg decodes",
				n, accepted, worstPSNR, refused+stdOnly, stdOnly)
		})
	}
}

// mutate returns a copy of seed with one to four bytes after SOI replaced.
func mutate(rng *rand.Rand, seed []byte) []byte {
	data := append([]byte{}, seed...)
	for range 1 + rng.IntN(4) {
		data[2+rng.IntN(len(data)-2)] = byte(rng.IntN(256))
	}
	return data
}

// checkMutant decodes one variant every way and checks the rules of
// TestMutantsAgainstImageJPEG; it returns our distance from image/jpeg and
// the verdict.
func checkMutant(t *testing.T, name string, data []byte) (float64, string) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width*cfg.Height > 4<<20 {
		return 0, "header" // the pipeline refuses these before decoding
	}
	ref, refErr := jpeg.Decode(bytes.NewReader(data))
	var first error
	psnr := math.Inf(1)
	for i, denom := range []int{8, 4, 2, 1} {
		var img image.Image
		cpu := cpuTime(t, func() { img, err = Decode(data, ReadHeader(data), denom) })
		if cpu > maxCPUPerDecode {
			t.Errorf("%s: decode at 1/%d took %v of CPU", name, denom, cpu)
		}
		if i == 0 {
			first = err
		} else if (err == nil) != (first == nil) {
			t.Errorf("%s: verdict at 1/8: %v; at 1/%d: %v", name, first, denom, err)
		}
		if err != nil || refErr != nil {
			continue
		}
		p := gridPSNR(img, ref, cfg.Width, cfg.Height)
		if p < minMutantPSNR {
			t.Errorf("%s: decode at 1/%d is %.1f dB from image/jpeg's, want >= %d", name, denom, p, minMutantPSNR)
		}
		psnr = min(psnr, p)
	}
	switch {
	case first == nil:
		return psnr, "accepted"
	case refErr == nil:
		return 0, "refused, image/jpeg decodes"
	}
	return 0, "refused"
}

// gridPSNR compares two decodes of a w x h JPEG, each averaged to the 1/8
// grid (8x8 source pixels a cell) over RGB, leaving out the last row and
// column of cells, in dB.
func gridPSNR(a, b image.Image, w, h int) float64 {
	ga, gb := grid8(a, w, h), grid8(b, w, h)
	gw, gh := (w+7)/8-1, (h+7)/8-1
	if gw <= 0 || gh <= 0 {
		return math.Inf(1)
	}
	var sum float64
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			for c := 0; c < 3; c++ {
				d := ga[(y*(gw+1)+x)*3+c] - gb[(y*(gw+1)+x)*3+c]
				sum += d * d
			}
		}
	}
	mse := sum / float64(gw*gh*3)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

// grid8 averages img, a decode of a w x h JPEG at any of its scales, to
// RGB cells of 8x8 source pixels.
func grid8(img image.Image, w, h int) []float64 {
	b := img.Bounds()
	gw, gh := (w+7)/8, (h+7)/8
	f := max(int(math.Round(8*float64(b.Dx())/float64(w))), 1) // pixels of img a cell spans: 8 at full size, 1 at 1/8
	out := make([]float64, gw*gh*3)
	for y := 0; y < gh; y++ {
		for x := 0; x < gw; x++ {
			var s [3]float64
			n := 0
			for dy := 0; dy < f; dy++ {
				for dx := 0; dx < f; dx++ {
					px, py := b.Min.X+x*f+dx, b.Min.Y+y*f+dy
					if px >= b.Max.X || py >= b.Max.Y {
						continue
					}
					c := color.RGBAModel.Convert(img.At(px, py)).(color.RGBA)
					s[0], s[1], s[2] = s[0]+float64(c.R), s[1]+float64(c.G), s[2]+float64(c.B)
					n++
				}
			}
			for c := range s {
				out[(y*gw+x)*3+c] = s[c] / float64(max(n, 1))
			}
		}
	}
	return out
}

// cpuTime returns the CPU time the process spent while f ran.
func cpuTime(t *testing.T, f func()) time.Duration {
	d, err := cputime.Of(f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
