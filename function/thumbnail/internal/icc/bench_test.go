package icc

import (
	"image"
	"image/color"
	"os"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

// benchProfiles are the profiles benchmarked: a matrix/TRC, a grey and a
// press profile.
var benchProfiles = []struct{ name, path string }{
	{"DisplayP3", "testdata/DisplayP3.icc"},
	{"Gray-CIE_L", systemICC + "/Gray-CIE_L.icc"},
	{"default_cmyk", systemICC + "/ghostscript/default_cmyk.icc"},
}

// loadProfile parses a profile for a benchmark.
func loadProfile(b *testing.B, path string) *Profile {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkNewTransform is the one-off cost of a profile: parsing it and
// building its tables.
func BenchmarkNewTransform(b *testing.B) {
	for _, bp := range benchProfiles {
		b.Run(bp.name, func(b *testing.B) {
			data, err := os.ReadFile(bp.path)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				p, err := Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := NewTransform(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConvert converts a 500x375 image, the size a 12 MP photo is
// decoded at for a 128x128 thumbnail, and a 128x128 thumbnail.
func BenchmarkConvert(b *testing.B) {
	for _, bp := range benchProfiles {
		tr, err := NewTransform(loadProfile(b, bp.path))
		if err != nil {
			b.Fatal(err)
		}
		for _, size := range []image.Point{{500, 375}, {128, 128}} {
			r := image.Rectangle{Max: size}
			var img image.Image
			var pix []uint8
			switch tr.Channels() {
			case 1:
				g := image.NewGray(r)
				img, pix = g, g.Pix
			case 4:
				c := image.NewCMYK(r)
				img, pix = c, c.Pix
			default:
				n := image.NewNRGBA(r)
				img, pix = n, n.Pix
			}
			fillPhoto(img, pix)
			b.Run(bp.name+"/"+sizeName(size), func(b *testing.B) {
				b.SetBytes(int64(size.X * size.Y))
				for b.Loop() {
					if _, err := tr.Convert(img); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// fillPhoto fills the benchmark image with a photo-like picture, so the
// tables are read as a photo reads them.
func fillPhoto(img image.Image, pix []uint8) {
	b := img.Bounds()
	photo := testimage.Photo(b.Dx(), b.Dy())
	for i := 0; i < len(photo.Pix)/4; i++ {
		r, g, bl := photo.Pix[4*i], photo.Pix[4*i+1], photo.Pix[4*i+2]
		switch len(pix) / (b.Dx() * b.Dy()) {
		case 1:
			pix[i] = uint8((int(r)*2 + int(g)*5 + int(bl)) / 8)
		case 4:
			k := 255 - max(r, g, bl)
			pix[4*i], pix[4*i+1], pix[4*i+2], pix[4*i+3] = 255-r-k, 255-g-k, 255-bl-k, k
		}
		if len(pix) == 4*b.Dx()*b.Dy() && img.ColorModel() != color.CMYKModel {
			copy(pix[4*i:], photo.Pix[4*i:4*i+4])
		}
	}
}

// sizeName spells a size as WxH.
func sizeName(p image.Point) string {
	return itoa(p.X) + "x" + itoa(p.Y)
}

// itoa formats a small non-negative int.
func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
