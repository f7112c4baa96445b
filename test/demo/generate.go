package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
)

// generators make the committed sample images of testdata/demo, by path. They are
// deterministic: `go test ./test/demo -run TestSamplesMatchGenerators -update` rewrites
// the files. rose.webp is not generated: it is a real lossy WebP photo (see the README
// beside the samples).
var generators = map[string]func() ([]byte, error){
	"phone/IMG_0001.jpg":           phonePortrait,
	"transparent.png":              transparentPNG,
	"animated.gif":                 animatedGIF,
	"my photos/red flower+bee.jpg": flowerJPEG,
	"broken.jpg":                   brokenJPEG,
}

// phonePortrait is a portrait scene (sky above, meadow below, an arrow pointing up)
// stored sideways with EXIF orientation 6, as phones store portrait shots: only a reader
// that applies the orientation shows it upright.
func phonePortrait() ([]byte, error) {
	const w, h = 480, 640 // as displayed
	scene := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{90, 150, 230, 255} // sky
			if y > h*2/3 {
				c = color.RGBA{60, 160, 70, 255} // meadow
			}
			// An arrow pointing to the top: a triangle over a shaft.
			if (y >= 120 && y < 260 && abs(x-w/2) <= (y-120)/2) || (y >= 260 && y < 500 && abs(x-w/2) <= 30) {
				c = color.RGBA{220, 40, 40, 255}
			}
			scene.SetRGBA(x, y, c)
		}
	}
	stored := rotateCounterClockwise(scene)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, stored, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return withOrientation(buf.Bytes(), 6)
}

// rotateCounterClockwise turns an image a quarter turn to the left; EXIF orientation 6
// asks the reader to turn it back to the right.
func rotateCounterClockwise(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dx(); y++ {
		for x := 0; x < b.Dy(); x++ {
			dst.SetRGBA(x, y, src.RGBAAt(b.Dx()-1-y, x))
		}
	}
	return dst
}

// transparentPNG is a soft-edged orange disc on a fully transparent background.
func transparentPNG() ([]byte, error) {
	const w, h = 400, 300
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x-w/2), float64(y-h/2))
			alpha := math.Max(0, math.Min(1, (130-d)/30))
			img.SetNRGBA(x, y, color.NRGBA{250, 140, 20, uint8(alpha * 255)})
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// animatedGIF is a ball crossing the frame in six frames.
func animatedGIF() ([]byte, error) {
	const w, h, frames = 240, 160, 6
	anim := &gif.GIF{LoopCount: 0}
	for f := 0; f < frames; f++ {
		img := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		cx, cy := 30+f*(w-60)/(frames-1), h/2
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				c := color.RGBA{240, 240, 200, 255}
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 25*25 {
					c = color.RGBA{30, 60, 200, 255}
				}
				img.Set(x, y, c)
			}
		}
		anim.Image = append(anim.Image, img)
		anim.Delay = append(anim.Delay, 15)
	}
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, anim)
	return buf.Bytes(), err
}

// flowerJPEG is a red flower with a bee, for the key with a space and a '+'.
func flowerJPEG() ([]byte, error) {
	const w, h = 800, 600
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(40 + y/6), 140, 60, 255} // leaves
			dx, dy := float64(x-380), float64(y-300)
			r := math.Hypot(dx, dy)
			petal := 170 + 40*math.Cos(5*math.Atan2(dy, dx))
			switch {
			case r < 45:
				c = color.RGBA{250, 210, 40, 255} // heart
			case r < petal:
				c = color.RGBA{210, 20, 40, 255} // petals
			}
			bx, by := float64(x-600), float64(y-150)
			if bx*bx/900+by*by/400 <= 1 {
				if int(bx+30)/10%2 == 0 {
					c = color.RGBA{20, 20, 20, 255}
				} else {
					c = color.RGBA{250, 200, 0, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	return buf.Bytes(), err
}

// brokenJPEG starts like a JPEG (start-of-image, a JFIF header, a quantisation table)
// and then stops: a truncated upload.
func brokenJPEG() ([]byte, error) {
	data := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
		0xFF, 0xDB, 0x00, 0x43, 0x00}
	for i := 0; i < 20; i++ {
		data = append(data, byte(i+1))
	}
	return data, nil
}

// LargePhotoKey is the key the demo uploads its generated large photo under.
const LargePhotoKey = "large/landscape-6mp.jpg"

// LargePhoto generates a 3000x2000 (6 MP) landscape with the texture of a real photo
// (gradients, soft shapes, sensor-like noise), so a large upload needs no large file in
// the repository. It is the same on every run.
func LargePhoto() ([]byte, error) {
	const w, h = 3000, 2000
	rng := rand.New(rand.NewPCG(2026, 11))
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/w, float64(y)/h
			hill := 0.62 + 0.08*math.Sin(fx*9) + 0.04*math.Sin(fx*23+1)
			var r, g, b float64
			switch {
			case math.Hypot(fx-0.75, fy-0.22) < 0.06: // sun
				r, g, b = 255, 240, 190
			case fy < hill: // sky, lighter towards the horizon
				r, g, b = 70+120*fy, 130+90*fy, 220+20*fy
			default: // fields, darker towards the viewer, with furrows
				r, g, b = 70-30*fy, 150-50*fy+20*math.Sin(fy*400), 50
			}
			n := rng.NormFloat64() * 6
			yy, cb, cr := color.RGBToYCbCr(clamp(r+n), clamp(g+n), clamp(b+n))
			img.Y[img.YOffset(x, y)] = yy
			img.Cb[img.COffset(x, y)] = cb
			img.Cr[img.COffset(x, y)] = cr
		}
	}
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88})
	return buf.Bytes(), err
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
