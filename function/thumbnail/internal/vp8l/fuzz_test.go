package vp8l

import (
	"bytes"
	"image"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	xvp8l "golang.org/x/image/vp8l"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/cputime"
)

// maxFuzzPixels keeps fuzzed inputs cheap: larger declared images are skipped.
const maxFuzzPixels = 1 << 20

// maxFuzzCPU is the most CPU one fuzzed input may take, both decoders included.
const maxFuzzCPU = time.Second

// FuzzDecode checks that no stream makes the decoder panic or take more
// than maxFuzzCPU, and that it agrees with golang.org/x/image/vp8l, the
// decoder it was forked from: where both decode a stream, the pixels are
// the same, and where they disagree (a refusal, or pixels), libwebp's dwebp
// decides, and must agree with this decoder.
func FuzzDecode(f *testing.F) {
	for seed := range 12 {
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		wr := &writer{rng: rng}
		transforms := [][]int{nil, {2, 0, 1}, {3}, {0, 1, 2, 3}}[seed%4]
		f.Add(wr.stream(1+rng.IntN(24), 1+rng.IntN(24), transforms))
	}
	if data, err := os.ReadFile("../../testdata/gopher-doc.with-alpha.lossless.webp"); err == nil {
		f.Add(payload(f, data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := DecodeHeader(data); err == nil && h.Width*h.Height > maxFuzzPixels {
			return
		}
		var (
			got         *image.NRGBA
			err, xerr   error
			x           image.Image
			cpu, cpuErr = cputime.Of(func() {
				got, err = Decode(data)
				x, xerr = xvp8l.Decode(bytes.NewReader(data))
			})
		)
		if cpuErr != nil {
			t.Fatal(cpuErr)
		}
		if cpu > maxFuzzCPU {
			t.Fatalf("took %v of CPU, bound %v", cpu, maxFuzzCPU)
		}
		if err == nil && xerr == nil && samePixels(got, x.(*image.NRGBA)) == "" {
			return
		}
		if err != nil && xerr != nil {
			return
		}
		// The two decoders disagree: libwebp decides.
		want, ok := dwebp(t, riff(data))
		switch {
		case err != nil && ok:
			t.Fatalf("refused (%v); dwebp decodes it", err)
		case err == nil && !ok:
			t.Fatalf("decoded; dwebp refuses it")
		case err == nil:
			if diff := samePixels(got, want); diff != "" {
				t.Fatalf("%s (dwebp)", diff)
			}
		}
	})
}
