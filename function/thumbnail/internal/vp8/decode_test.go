package vp8

import (
	"fmt"
	"image"
	"image/draw"
	"math/rand/v2"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// noise is a w x h image of random opaque pixels, the costliest to decode
// per pixel: nearly every coefficient is coded, most of them large.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.Uint32())
		if i%4 == 3 {
			img.Pix[i] = 0xff
		}
	}
	return img
}

// flat is a w x h image of one colour.
func flat(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(image.White), image.Point{}, draw.Src)
	return img
}

// TestCwebpFilesMatchReferences decodes lossy WebP files written by cwebp
// with many options, and requires the same Y, Cb and Cr planes as
// golang.org/x/image/vp8 and as libwebp (dwebp -yuv), byte for byte.
func TestCwebpFilesMatchReferences(t *testing.T) {
	photo := testimage.Photo(203, 117) // not a multiple of 16 either way
	tests := []struct {
		name string
		img  image.Image
		args []string
	}{
		{"q0", photo, []string{"-q", "0"}},
		{"q30", photo, []string{"-q", "30"}},
		{"q75", photo, []string{"-q", "75"}},
		{"q90", photo, []string{"-q", "90"}},
		{"q100", photo, []string{"-q", "100"}},
		{"sharp-yuv", photo, []string{"-sharp_yuv"}},
		{"no-filter", photo, []string{"-f", "0"}},
		{"strong-filter", photo, []string{"-strong", "-f", "100"}},
		{"simple-filter", photo, []string{"-nostrong", "-f", "80"}},
		{"sharpness-7", photo, []string{"-sharpness", "7", "-f", "50"}},
		{"sharpness-3", photo, []string{"-sharpness", "3", "-f", "90", "-strong"}},
		{"auto-filter", photo, []string{"-af"}},
		{"one-segment", photo, []string{"-segments", "1"}},
		{"sns-0", photo, []string{"-sns", "0"}},
		{"sns-100", photo, []string{"-sns", "100", "-q", "50"}},
		{"fastest", photo, []string{"-m", "0"}},
		{"slowest", photo, []string{"-m", "6"}},
		{"intra16-only", photo, []string{"-partition_limit", "100"}},
		{"1x1", testimage.Photo(1, 1), nil},
		{"17x33", testimage.Photo(17, 33), []string{"-q", "95"}},
		{"2x300", testimage.Photo(2, 300), nil},
		{"300x2", testimage.Photo(300, 2), nil},
		{"640x480", testimage.Photo(640, 480), []string{"-q", "85"}},
		{"flat", flat(100, 60), nil},
		{"noise-q100", noise(97, 61), []string{"-q", "100"}},
		{"noise-q10", noise(97, 61), []string{"-q", "10", "-f", "100", "-strong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cwebp(t, tt.img, tt.args...)
			data := payload(t, file)
			m, err := decodeFork(data)
			if err != nil {
				t.Fatal(err)
			}
			checkSameAsX(t, tt.name, data)
			if diff := sameAsDwebp(t, file, m); diff != "" {
				t.Fatal(diff)
			}
		})
	}
}

// TestRandomFramesMatchReferences decodes frames whose first partition is
// written field by field, with every header feature (segments with absolute
// and relative values and a segment map, loop filter deltas, 1 to 8 token
// partitions, the skip flag) and random modes, over token partitions of
// random bytes, and requires x/image's planes and libwebp's.
func TestRandomFramesMatchReferences(t *testing.T) {
	for seed := range 64 {
		rng := rand.New(rand.NewPCG(uint64(seed), 8))
		w, h := 1+rng.IntN(70), 1+rng.IntN(70)
		data := randomFrame(rng, w, h)
		got, err := decodeFork(data)
		if err != nil {
			t.Fatalf("seed %d (%dx%d): %v", seed, w, h, err)
		}
		if got.Rect.Dx() != w || got.Rect.Dy() != h {
			t.Fatalf("seed %d: %v, want %dx%d", seed, got.Rect, w, h)
		}
		checkSameAsX(t, "random frame", data)
		if diff := sameAsDwebp(t, riffVP8(data), got); diff != "" {
			t.Fatalf("seed %d: %s", seed, diff)
		}
	}
}

// TestFFPartitionsMatchXImage decodes random frames whose partitions start
// with 0xff, a byte no encoder writes there, which takes the arithmetic
// decoder out of its range (see readBitCompat): the verdict and planes must
// still be x/image's.
func TestFFPartitionsMatchXImage(t *testing.T) {
	for seed := range 32 {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		frame, starts := randomFrameParts(rng, 1+rng.IntN(60), 1+rng.IntN(60))
		for _, which := range [][]int{starts[1:], starts[:1], starts} {
			m := append([]byte{}, frame...)
			for _, i := range which {
				m[i] = 0xff
			}
			checkSameAsX(t, fmt.Sprintf("seed %d, 0xff at %v", seed, which), m)
		}
	}
}

// TestZeroTokenFrameMatchesReferences decodes the frame of the most work per
// byte, small, against x/image and libwebp.
func TestZeroTokenFrameMatchesReferences(t *testing.T) {
	data := zeroTokenFrame(100, 50)
	m, err := decodeFork(data)
	if err != nil {
		t.Fatal(err)
	}
	checkSameAsX(t, "zero tokens", data)
	if diff := sameAsDwebp(t, riffVP8(data), m); diff != "" {
		t.Fatal(diff)
	}
}

// TestLargeTokenFrameMatchesXImage decodes the frame of the most arithmetic-
// decoded bits a macroblock, small, against x/image. Not against libwebp:
// its coefficients are large enough for x/image's inverse transform (and
// this package's) to overflow where libwebp's does not, as no encoder's
// output does.
func TestLargeTokenFrameMatchesXImage(t *testing.T) {
	data := largeTokenFrame(100, 50)
	if _, err := decodeFork(data); err != nil {
		t.Fatal(err)
	}
	checkSameAsX(t, "large tokens", data)
}

// TestCutFramesGetXImageVerdict cuts frames at every length, and requires
// x/image's verdict for each: the same error, or the same planes where the
// cut left out only bytes the decoder does not need.
func TestCutFramesGetXImageVerdict(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	frames := [][]byte{
		payload(t, cwebp(t, testimage.Photo(40, 24), "-q", "90")),
		randomFrame(rng, 33, 20),
	}
	for _, data := range frames {
		for n := range len(data) {
			cut := data[:n]
			_, err := decodeFork(cut)
			_, xerr := decodeX(cut)
			if err != nil && xerr != nil && err.Error() != xerr.Error() {
				t.Fatalf("cut at %d of %d: error %q, x/image %q", n, len(data), err, xerr)
			}
			checkSameAsX(t, fmt.Sprintf("cut at %d of %d", n, len(data)), cut)
		}
	}
}

// TestLargePartitionIsDecoded pads a frame's last token partition to 16 MiB:
// x/image refuses it (it would copy the partition into memory it allocates),
// this package decodes it, as libwebp does, to the planes of the frame
// without the padding.
func TestLargePartitionIsDecoded(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	data := randomFrame(rng, 40, 30)
	want, err := decodeFork(data)
	if err != nil {
		t.Fatal(err)
	}
	large := append(append([]byte{}, data...), make([]byte, 1<<24)...)
	if _, err := decodeX(large); err == nil || err.Error() != "vp8: too much data to decode" {
		t.Fatalf("x/image: %v, want its 16 MiB refusal", err)
	}
	got, err := decodeFork(large)
	if err != nil {
		t.Fatal(err)
	}
	if diff := samePlanes(got, want); diff != "" {
		t.Fatal(diff)
	}
	if diff := sameAsDwebp(t, riffVP8(large), got); diff != "" {
		t.Fatal(diff)
	}
}
