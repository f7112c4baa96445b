package thumbnail

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nfnt/resize"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// shrinkReference is the block average of img by f computed through the
// image.Image interface in floating point: premultiplied 16-bit colour
// summed, divided by the summed alpha. It shares no code with boxShrink.
func shrinkReference(img image.Image, f int) [][4]float64 {
	b := img.Bounds()
	ow, oh := (b.Dx()+f-1)/f, (b.Dy()+f-1)/f
	out := make([][4]float64, ow*oh)
	for oy := range oh {
		for ox := range ow {
			var s [4]float64
			n := 0.0
			for y := oy * f; y < min(oy*f+f, b.Dy()); y++ {
				for x := ox * f; x < min(ox*f+f, b.Dx()); x++ {
					r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
					s[0], s[1], s[2], s[3] = s[0]+float64(r), s[1]+float64(g), s[2]+float64(bl), s[3]+float64(a)
					n++
				}
			}
			p := &out[oy*ow+ox]
			p[3] = s[3] / n / 257
			if s[3] > 0 {
				for c := range 3 {
					p[c] = s[c] / s[3] * 255
				}
			}
		}
	}
	return out
}

// noiseImages returns w x h images of every pixel layout the decoders give,
// filled with seeded noise (alpha included where the layout has it) and each
// cut out of a larger image, so that a non-zero origin is exercised too.
func noiseImages(w, h int) map[string]image.Image {
	rng := rand.New(rand.NewPCG(7, 11))
	big := image.Rect(-3, -5, w+4, h+2)
	r := image.Rect(0, 0, w, h)
	byte8 := func() uint8 { return uint8(rng.IntN(256)) }
	nrgba, rgba, grey := image.NewNRGBA(big), image.NewRGBA(big), image.NewGray(big)
	nrgba64, rgba64, grey16 := image.NewNRGBA64(big), image.NewRGBA64(big), image.NewGray16(big)
	cmyk := image.NewCMYK(big)
	pal := color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 0, 0, 255}, color.NRGBA{10, 200, 30, 128}, color.NRGBA{250, 250, 250, 255}, color.NRGBA{40, 60, 220, 7}}
	paletted := image.NewPaletted(big, pal)
	ycc := image.NewYCbCr(big, image.YCbCrSubsampleRatio420)
	nycca := image.NewNYCbCrA(big, image.YCbCrSubsampleRatio444)
	for y := big.Min.Y; y < big.Max.Y; y++ {
		for x := big.Min.X; x < big.Max.X; x++ {
			c := color.NRGBA{byte8(), byte8(), byte8(), byte8()}
			if rng.IntN(5) == 0 {
				c.A = 0
			}
			nrgba.SetNRGBA(x, y, c)
			rgba.Set(x, y, c)
			grey.SetGray(x, y, color.Gray{byte8()})
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(rng.IntN(65536)), uint16(rng.IntN(65536)), uint16(rng.IntN(65536)), uint16(rng.IntN(65536))})
			rgba64.Set(x, y, color.NRGBA64{uint16(rng.IntN(65536)), uint16(rng.IntN(65536)), uint16(rng.IntN(65536)), uint16(rng.IntN(65536))})
			grey16.SetGray16(x, y, color.Gray16{uint16(rng.IntN(65536))})
			cmyk.SetCMYK(x, y, color.CMYK{byte8(), byte8(), byte8(), byte8()})
			paletted.SetColorIndex(x, y, uint8(rng.IntN(len(pal))))
			nycca.Y[nycca.YOffset(x, y)], nycca.Cb[nycca.COffset(x, y)], nycca.Cr[nycca.COffset(x, y)] = byte8(), byte8(), byte8()
			nycca.A[nycca.AOffset(x, y)] = byte8()
		}
	}
	for i := range ycc.Y {
		ycc.Y[i] = byte8()
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = byte8(), byte8()
	}
	// The YCbCr crop keeps the chroma grid (see crop), as the resizer's does.
	yccCut := image.Rect(-2, -4, w-2, h-4)
	return map[string]image.Image{
		"NRGBA": nrgba.SubImage(r), "RGBA": rgba.SubImage(r), "Gray": grey.SubImage(r),
		"NRGBA64": nrgba64.SubImage(r), "RGBA64": rgba64.SubImage(r), "Gray16": grey16.SubImage(r),
		"CMYK": cmyk.SubImage(r), "Paletted": paletted.SubImage(r),
		"YCbCr 4:2:0": ycc.SubImage(yccCut), "NYCbCrA": nycca.SubImage(r),
	}
}

// TestBoxShrinkAveragesEveryLayout holds each layout's loop to the plain
// average: within 1.5 levels of 8 bits in every channel (YCbCr is converted
// to 8-bit RGB a pixel, half a level, before the average is rounded, half
// a level; the reference converts at 16 bits), colour weighted by alpha,
// whatever the factor (partial blocks at the edges included).
func TestBoxShrinkAveragesEveryLayout(t *testing.T) {
	for name, img := range noiseImages(61, 43) {
		for _, f := range []int{2, 3, 7} {
			got := boxShrink(img, f, jfifMatrix)
			want := shrinkReference(img, f)
			if len(got.Pix) != 4*len(want) {
				t.Fatalf("%s by %d: %v, want %d pixels", name, f, got.Rect, len(want))
			}
			worst := 0.0
			for i, w := range want {
				for c := range 4 {
					if c < 3 && w[3] < 1 {
						continue // colour under an alpha that rounds to zero is not seen
					}
					worst = max(worst, math.Abs(float64(got.Pix[4*i+c])-w[c]))
				}
			}
			if worst > 1.5 {
				t.Errorf("%s by %d: a channel %.2f levels from the average", name, f, worst)
			}
		}
	}
}

// TestResizeShrinksLargeDecodes checks that a thumbnail made through the box
// shrink keeps to the plain Lanczos3 of the whole image: 16-bit and
// palette photos of 1600x1200 to 128x96 (shrunk by 4 first), against nfnt's filter run on the
// full image as before.
func TestResizeShrinksLargeDecodes(t *testing.T) {
	photo := testimage.Photo(1600, 1200)
	wide := image.NewNRGBA64(photo.Rect)
	for y := range 1200 {
		for x := range 1600 {
			wide.Set(x, y, photo.At(x, y))
		}
	}
	paletted := image.NewPaletted(photo.Rect, palette216())
	for y := range 1200 {
		for x := range 1600 {
			paletted.Set(x, y, photo.At(x, y))
		}
	}
	for name, src := range map[string]image.Image{"NRGBA64": wide, "Paletted": paletted} {
		j := &job{decoded: src, opts: DefaultOptions(), header: header{width: 1600, height: 1200, orientation: 1}}
		j.opts.Width, j.opts.Height, j.opts.Mode = 128, 128, ModeFit
		if err := resizeToBox(j); err != nil {
			t.Fatal(err)
		}
		want := toNRGBA(resize.Resize(128, 96, resizable(src), resize.Lanczos3))
		p := psnrRGB(t, j.thumb, want)
		if p < 40 {
			t.Errorf("%s: %.1f dB from Lanczos3 of the full image, want >= 40", name, p)
		}
		t.Logf("%s: %.1f dB from Lanczos3 of the full image", name, p)
	}
}

// palette216 is the web-safe palette, a stand-in for a GIF's.
func palette216() color.Palette {
	var p color.Palette
	for r := 0; r < 6; r++ {
		for g := 0; g < 6; g++ {
			for b := 0; b < 6; b++ {
				p = append(p, color.RGBA{uint8(51 * r), uint8(51 * g), uint8(51 * b), 255})
			}
		}
	}
	return p
}
