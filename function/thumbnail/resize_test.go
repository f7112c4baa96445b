package thumbnail

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"
	"testing"

	"github.com/nfnt/resize"
)

// TestNoDarkFringe shrinks a red disc on a transparent background. Resizing
// straight (not premultiplied) alpha would blend in the black of the invisible
// pixels, and Lanczos overshoot could wrap a channel; either shows as an edge
// pixel that is not red.
func TestNoDarkFringe(t *testing.T) {
	backgrounds := map[string]color.NRGBA{
		"transparent black": {0, 0, 0, 0},
		"transparent white": {255, 255, 255, 0},
	}
	for name, bg := range backgrounds {
		for _, size := range []int{37, 128, 300} { // enlarge and shrink
			t.Run(name+"/"+strconv.Itoa(size), func(t *testing.T) {
				src := image.NewNRGBA(image.Rect(0, 0, 200, 200))
				for y := 0; y < 200; y++ {
					for x := 0; x < 200; x++ {
						c := bg
						if (x-100)*(x-100)+(y-100)*(y-100) < 70*70 {
							c = color.NRGBA{255, 0, 0, 255}
						}
						src.SetNRGBA(x, y, c)
					}
				}
				r := mustMake(t, encodePNGBytes(t, src), Options{Width: size, Height: size, Format: PNG})
				img := decodeResult(t, r).(*image.NRGBA)
				edges := 0
				for i := 0; i < len(img.Pix); i += 4 {
					red, g, b, a := img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]
					if a < 64 {
						continue // too faint for 8-bit straight colour to be exact
					}
					if a < 255 {
						edges++
					}
					if red < 240 || g > 12 || b > 12 {
						t.Fatalf("pixel %d has colour %d,%d,%d at alpha %d, want red", i/4, red, g, b, a)
					}
				}
				if edges == 0 {
					t.Fatal("no partly transparent edge pixels: the test checked nothing")
				}
			})
		}
	}
}

// TestToNRGBAClampsOvershoot checks a premultiplied colour above its alpha,
// which Lanczos ringing produces, is clamped instead of wrapping around.
func TestToNRGBAClampsOvershoot(t *testing.T) {
	tests := []struct {
		name string
		in   color.RGBA
		want color.NRGBA
	}{
		{"valid", color.RGBA{100, 50, 0, 200}, color.NRGBA{127, 63, 0, 200}},
		{"opaque", color.RGBA{10, 20, 30, 255}, color.NRGBA{10, 20, 30, 255}},
		{"colour above alpha", color.RGBA{220, 0, 0, 200}, color.NRGBA{255, 0, 0, 200}},
		{"transparent", color.RGBA{0, 0, 0, 0}, color.NRGBA{0, 0, 0, 0}},
		{"colour without alpha", color.RGBA{9, 9, 9, 0}, color.NRGBA{0, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := image.NewRGBA(image.Rect(0, 0, 1, 1))
			src.SetRGBA(0, 0, tt.in)
			if got := toNRGBA(src).NRGBAAt(0, 0); got != tt.want {
				t.Errorf("%v -> %v, want %v", tt.in, got, tt.want)
			}
			src64 := image.NewRGBA64(image.Rect(0, 0, 1, 1))
			r, g, b, a := tt.in.RGBA()
			src64.SetRGBA64(0, 0, color.RGBA64{uint16(r), uint16(g), uint16(b), uint16(a)})
			if got := toNRGBA(src64).NRGBAAt(0, 0); got != tt.want {
				t.Errorf("16-bit %v -> %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestCropSharesPixels checks resizing a shared-pixel crop gives what
// resizing a copied crop gives, for every pixel layout the resizer reads
// directly and every chroma subsampling. The copy is resized through the 8-bit
// RGBA path, which rounds differently from the 16-bit path by up to 3 and from
// the YCbCr path, with its two colour conversions, by up to 6. The pattern
// changes at every sample, so a misplaced sample differs by 30 or more.
func TestCropSharesPixels(t *testing.T) {
	b := image.Rect(0, 0, 90, 60)
	pattern := image.NewNRGBA(b)
	for i := range pattern.Pix {
		pattern.Pix[i] = uint8(i*7 + i/360)
	}
	all := map[string]image.Image{}
	for name, img := range map[string]draw.Image{
		"nrgba": image.NewNRGBA(b), "rgba": image.NewRGBA(b), "gray": image.NewGray(b),
		"gray16": image.NewGray16(b), "rgba64": image.NewRGBA64(b), "nrgba64": image.NewNRGBA64(b),
	} {
		draw.Draw(img, b, pattern, image.Point{}, draw.Src)
		all[name] = img
	}
	for name, ratio := range map[string]image.YCbCrSubsampleRatio{
		"444": image.YCbCrSubsampleRatio444, "422": image.YCbCrSubsampleRatio422,
		"420": image.YCbCrSubsampleRatio420, "440": image.YCbCrSubsampleRatio440,
		"411": image.YCbCrSubsampleRatio411, "410": image.YCbCrSubsampleRatio410,
	} {
		// Samples vary from pixel to pixel but stay inside the RGB gamut, where
		// resizing in YCbCr and in RGB agree.
		ycbcr := image.NewYCbCr(b, ratio)
		for i := range ycbcr.Y {
			ycbcr.Y[i] = uint8(100 + i*13%57)
		}
		for i := range ycbcr.Cb {
			ycbcr.Cb[i], ycbcr.Cr[i] = uint8(88+i*37%81), uint8(88+i*53%81)
		}
		all["ycbcr"+name] = ycbcr
	}
	// One crop starts between chroma samples of every subsampling, one on them.
	for name, img := range all {
		for _, r := range []image.Rectangle{image.Rect(17, 9, 71, 52), image.Rect(4, 2, 90, 60)} {
			t.Run(name+"/"+r.String(), func(t *testing.T) {
				shared := crop(img, r)
				if shared.Bounds().Size() != r.Size() {
					t.Fatalf("crop is %v, want the size of %v", shared.Bounds(), r)
				}
				copied := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
				draw.Draw(copied, copied.Bounds(), img, r.Min, draw.Src)
				got := toNRGBA(resize.Resize(32, 24, resizable(shared), resize.Lanczos3))
				want := toNRGBA(resize.Resize(32, 24, copied, resize.Lanczos3))
				tolerance := 3
				if _, ok := img.(*image.YCbCr); ok {
					tolerance = 6
				}
				if maxDiff, _ := imageDiff(t, got, want); maxDiff > tolerance {
					t.Errorf("crop %v of %T resized differs from a copied crop by %d", r, img, maxDiff)
				}
			})
		}
	}
}

// TestResizableConverts checks layouts the resizer would read pixel by pixel
// are converted once, with the same colours.
func TestResizableConverts(t *testing.T) {
	b := image.Rect(0, 0, 4, 4)
	pal := image.NewPaletted(b, color.Palette{color.NRGBA{10, 20, 30, 255}, color.NRGBA{200, 0, 0, 128}})
	pal.Pix[5] = 1
	cmyk := image.NewCMYK(b)
	cmyk.Set(1, 1, color.CMYK{0, 255, 255, 0})
	nycbcra := image.NewNYCbCrA(b, image.YCbCrSubsampleRatio444)
	nycbcra.A[0] = 0x80
	for _, img := range []image.Image{pal, cmyk, nycbcra} {
		out := resizable(img)
		if _, ok := out.(*image.RGBA); !ok {
			t.Errorf("%T became %T, want *image.RGBA", img, out)
			continue
		}
		if maxDiff, _ := imageDiff(t, out, img); maxDiff > 0 {
			t.Errorf("%T changed colours by %d", img, maxDiff)
		}
	}
}
