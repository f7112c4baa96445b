package thumbnail

import (
	"image"
	"image/draw"

	"github.com/nfnt/resize"
)

// lanczosReach is how many times the output size the Lanczos filter reads
// from. A decoded image larger than that is first box-shrunk by a whole
// factor, as libvips does: Lanczos3 costs taps in proportion to the scale
// (about 190 a sample from 4000 pixels to 128), so filtering a full-size
// 16 MP decode took most of a second, while averaging blocks costs one add
// a sample. The residual reduction of three to six is left to Lanczos3 to
// antialias (libvips leaves two); sources under three times the box keep
// the plain Lanczos path. JPEG and 8-bit PNG mostly arrive that small from
// their scaled decoders; this serves the full-size decodes (16-bit and
// low-bit PNG, GIF, WebP, JPEG at full scale).
const lanczosReach = 3

// jfifMatrix is the YCbCr of JPEG (and of lossy WebP once its range is
// expanded, see expandVP8Range): full-range BT.601.
var jfifMatrix = yuvMatrix{kr: 0.299, kb: 0.114}

// resizeToBox crops and scales the decoded image to the box (in stored
// orientation) with Lanczos3, leaving an 8-bit straight-alpha thumbnail.
func resizeToBox(j *job) error {
	src := j.decoded
	j.decoded = nil
	b := src.Bounds()
	boxW, boxH := storedBox(j.opts.Width, j.opts.Height, j.header.orientation)
	p := planFor(b.Dx(), b.Dy(), boxW, boxH, j.opts.Mode)
	src = crop(src, p.crop.Add(b.Min))
	if f := shrinkFactor(p.crop.Dx(), p.crop.Dy(), lanczosReach*p.w, lanczosReach*p.h); f > 1 {
		src = boxShrink(src, f, jfifMatrix)
	}
	out := resize.Resize(uint(p.w), uint(p.h), resizable(src), resize.Lanczos3)
	j.thumb = toNRGBA(out)
	return nil
}

// crop returns the part r of img, sharing pixels when the image type allows.
func crop(img image.Image, r image.Rectangle) image.Image {
	if r == img.Bounds() {
		return img
	}
	// The resizer reads a YCbCr sub-image as if its first luma sample shared
	// the first chroma sample; from an origin between chroma samples it would
	// pair every pixel with its neighbour's colour. Such crops are copied.
	if y, ok := img.(*image.YCbCr); ok && !onChromaGrid(r.Min, y.SubsampleRatio) {
		return copyToRGBA(img, r)
	}
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return copyToRGBA(img, r)
}

// copyToRGBA copies the part r of img into a new premultiplied RGBA image.
func copyToRGBA(img image.Image, r image.Rectangle) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Src)
	return dst
}

// onChromaGrid reports whether p is the position of a chroma sample for ratio,
// that is, whether a crop starting at p starts a chroma block.
func onChromaGrid(p image.Point, ratio image.YCbCrSubsampleRatio) bool {
	dx, dy := 1, 1
	switch ratio {
	case image.YCbCrSubsampleRatio422:
		dx = 2
	case image.YCbCrSubsampleRatio420:
		dx, dy = 2, 2
	case image.YCbCrSubsampleRatio440:
		dy = 2
	case image.YCbCrSubsampleRatio411:
		dx = 4
	case image.YCbCrSubsampleRatio410:
		dx, dy = 4, 2
	}
	return p.X%dx == 0 && p.Y%dy == 0
}

// resizable returns img in a pixel layout the resizer filters directly.
// The resizer reads any other type pixel by pixel through the image.Image
// interface, allocating on every read; one conversion to premultiplied RGBA
// is far cheaper. Premultiplied, so transparent pixels weigh nothing and
// leave no dark fringe.
func resizable(img image.Image) image.Image {
	switch img.(type) {
	case *image.RGBA, *image.NRGBA, *image.YCbCr, *image.Gray,
		*image.RGBA64, *image.NRGBA64, *image.Gray16:
		return img
	}
	return copyToRGBA(img, img.Bounds())
}

// toNRGBA converts the resizer's output to 8-bit straight alpha. The Lanczos
// kernel has negative lobes, so a premultiplied result can hold a colour
// above its alpha; such values are clamped to the alpha here, where a plain
// colour-model conversion would overflow and paint bright or dark specks.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			s := src.Pix[y*src.Stride : y*src.Stride+4*b.Dx()]
			d := dst.Pix[y*dst.Stride : y*dst.Stride+4*b.Dx()]
			for i := 0; i < len(s); i += 4 {
				unpremultiply(d[i:i+4:i+4], uint32(s[i])*0x101, uint32(s[i+1])*0x101, uint32(s[i+2])*0x101, uint32(s[i+3])*0x101)
			}
		}
	case *image.RGBA64:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				c := src.RGBA64At(b.Min.X+x, b.Min.Y+y)
				i := dst.PixOffset(x, y)
				unpremultiply(dst.Pix[i:i+4:i+4], uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A))
			}
		}
	default:
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	}
	return dst
}

// unpremultiply writes the 8-bit straight-alpha form of a 16-bit premultiplied
// colour into d, clamping each colour channel to the alpha first.
func unpremultiply(d []uint8, r, g, b, a uint32) {
	if a == 0 {
		d[0], d[1], d[2], d[3] = 0, 0, 0, 0
		return
	}
	r, g, b = min(r, a), min(g, a), min(b, a)
	d[0] = uint8(r * 0xffff / a >> 8)
	d[1] = uint8(g * 0xffff / a >> 8)
	d[2] = uint8(b * 0xffff / a >> 8)
	d[3] = uint8(a >> 8)
}
