package vp8

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
)

// maxFuzzPixels keeps fuzzed inputs cheap: larger declared frames are skipped.
const maxFuzzPixels = 1 << 20

// maxFuzzCPU is the most CPU one fuzzed input may take, both decoders included.
const maxFuzzCPU = time.Second

// FuzzDecode checks that no frame makes the decoder panic or take more than
// maxFuzzCPU, and that it gives the verdict of golang.org/x/image/vp8, the
// decoder it was forked from: both refuse the frame, or both decode it to
// the same planes.
func FuzzDecode(f *testing.F) {
	for seed := range 8 {
		rng := rand.New(rand.NewPCG(uint64(seed), 5))
		f.Add(randomFrame(rng, 1+rng.IntN(40), 1+rng.IntN(40)))
	}
	for _, name := range []string{"lossy-red-gradient.webp", "video-001.lossy.webp", "yellow_rose.lossy-with-alpha.webp"} {
		if data, err := os.ReadFile("../../testdata/" + name); err == nil {
			f.Add(payload(f, data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder()
		d.Init(data, len(data))
		if fh, err := d.DecodeFrameHeader(); err == nil && fh.Width*fh.Height > maxFuzzPixels {
			return
		}
		cpu, err := cputime.Of(func() { checkSameAsX(t, "fuzzed frame", data) })
		if err != nil {
			t.Fatal(err)
		}
		if cpu > maxFuzzCPU {
			t.Fatalf("took %v of CPU, bound %v", cpu, maxFuzzCPU)
		}
	})
}
