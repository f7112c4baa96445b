package thumbnail

import (
	"image"
	"image/color"
	"image/draw"
)

// shrinkFactor is the largest whole factor by which a w x h image can be
// reduced and still be at least targetW x targetH.
func shrinkFactor(w, h, targetW, targetH int) int {
	f := min(w/max(targetW, 1), h/max(targetH, 1))
	return max(f, 1)
}

// boxShrink returns img reduced by f: each output pixel is the average of an
// f x f block (smaller at the right and bottom edges). A WebAssembly decoder's
// image lives in its own memory only while it runs, so the pipeline takes
// this small copy instead of the full picture; a full-size decode is reduced
// the same way before the Lanczos filter (see resizeToBox). The area average
// is what a downscale converges to, and the resize step finishes from it.
// Each pixel layout a decoder returns has its own loop: reading through the
// image.Image interface would cost an allocation a pixel.
func boxShrink(img image.Image, f int, m yuvMatrix) *image.NRGBA {
	b := img.Bounds()
	ow, oh := (b.Dx()+f-1)/f, (b.Dy()+f-1)/f
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	switch src := img.(type) {
	case *image.YCbCr:
		shrinkYCbCr(out, src, f, m)
	case *image.RGBA:
		shrinkPremultiplied(out, src.Pix[src.PixOffset(b.Min.X, b.Min.Y):], src.Stride, b.Dx(), b.Dy(), f)
	case *image.Gray:
		shrinkGray(out, src, f)
	case *image.NRGBA:
		shrinkStraight(out, src.Pix[src.PixOffset(b.Min.X, b.Min.Y):], src.Stride, b.Dx(), b.Dy(), f)
	case *image.Paletted:
		shrinkPaletted(out, src, f)
	case *image.CMYK: // a CMYK JPEG without a profile
		shrinkNaiveCMYK(out, src, f)
	case image.RGBA64Image: // 16-bit layouts, CMYK, YCbCr with alpha, ...
		shrinkWide(out, src, f)
	default:
		n := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(n, n.Rect, img, b.Min, draw.Src)
		shrinkPremultiplied(out, n.Pix, n.Stride, b.Dx(), b.Dy(), f)
	}
	return out
}

// shrinkYCbCr converts each pixel to RGB, then averages over each block.
// Averaging luma and chroma first would be cheaper, but the conversion
// clamps: a saturated colour outside the RGB cube would come out of the
// average wrong by tens of levels. Chroma offsets are tabulated by column
// and row once, so the loop over a 64 MP picture is adds and one
// conversion a pixel (image/jpeg's integer one for JFIF's matrix, what
// image/jpeg's pixels read as).
func shrinkYCbCr(out *image.NRGBA, src *image.YCbCr, f int, m yuvMatrix) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	c0 := src.COffset(b.Min.X, b.Min.Y)
	colOff := make([]int, w)
	for x := range colOff {
		colOff[x] = src.COffset(b.Min.X+x, b.Min.Y) - c0
	}
	rowOff := make([]int, h)
	for y := range rowOff {
		rowOff[y] = src.COffset(b.Min.X, b.Min.Y+y)
	}
	jfif := m == jfifMatrix
	eachBlock(out, w, h, f, func(o int, bl block) {
		var s [3]int
		for y := bl.y0; y < bl.y1; y++ {
			luma := src.Y[src.YOffset(b.Min.X, b.Min.Y+y):][:w]
			cb, cr := src.Cb[rowOff[y]:], src.Cr[rowOff[y]:]
			for x := bl.x0; x < bl.x1; x++ {
				c := colOff[x]
				if !jfif {
					r, g, b := m.rgb8(luma[x], cb[c], cr[c])
					s[0], s[1], s[2] = s[0]+int(r), s[1]+int(g), s[2]+int(b)
					continue
				}
				// color.YCbCrToRGB, written out: the compiler does not
				// inline it, and this runs once a pixel.
				yy := int32(luma[x]) * 0x10101
				cb1, cr1 := int32(cb[c])-128, int32(cr[c])-128
				s[0] += clampShifted(yy + 91881*cr1)
				s[1] += clampShifted(yy - 22554*cb1 - 46802*cr1)
				s[2] += clampShifted(yy + 116130*cb1)
			}
		}
		storeOpaque(out.Pix[o:o+4:o+4], s, bl.pixels())
	})
}

// clampShifted is the 8-bit value of a colour scaled by 2^16, clamped to
// 0-255 as color.YCbCrToRGB clamps it.
func clampShifted(v int32) int {
	if uint32(v)&0xff000000 == 0 {
		return int(v >> 16)
	}
	return int(^(v >> 31)) & 0xff
}

// yuvMatrix converts 8-bit YCbCr to RGB with the matrix and range a file's
// nclx colour box names (ITU-T H.273): HEVC and AV1 carry them, where JPEG
// always means full-range BT.601.
type yuvMatrix struct {
	kr, kb  float64
	limited bool
	gbr     bool // matrix 0: the planes are G, B, R
}

// matrixFor returns the conversion an nclx box asks for; BT.601 full range
// when the file says nothing, as libheif assumes.
func matrixFor(matrix uint16, fullRange, known bool) yuvMatrix {
	m := yuvMatrix{kr: 0.299, kb: 0.114, limited: known && !fullRange}
	switch matrix {
	case 0:
		m.gbr = true
	case 1:
		m.kr, m.kb = 0.2126, 0.0722
	case 9, 10:
		m.kr, m.kb = 0.2627, 0.0593
	}
	return m
}

func (m yuvMatrix) rgb(y, cb, cr float64) (uint8, uint8, uint8) {
	if m.gbr {
		return clamp8(cr), clamp8(y), clamp8(cb)
	}
	if m.limited {
		y, cb, cr = (y-16)*255/219, (cb-128)*255/224+128, (cr-128)*255/224+128
	}
	r := y + 2*(1-m.kr)*(cr-128)
	b := y + 2*(1-m.kb)*(cb-128)
	g := (y - m.kr*r - m.kb*b) / (1 - m.kr - m.kb)
	return clamp8(r), clamp8(g), clamp8(b)
}

// rgb8 converts one 8-bit sample triple.
func (m yuvMatrix) rgb8(y, cb, cr uint8) (uint8, uint8, uint8) {
	return m.rgb(float64(y), float64(cb), float64(cr))
}

func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// shrinkPremultiplied averages premultiplied RGBA, so transparent pixels
// weigh nothing in the colour, then stores it unpremultiplied.
func shrinkPremultiplied(out *image.NRGBA, pix []byte, stride, w, h, f int) {
	eachBlock(out, w, h, f, func(o int, bl block) {
		var s [4]int
		for y := bl.y0; y < bl.y1; y++ {
			row := pix[y*stride+4*bl.x0 : y*stride+4*bl.x1]
			for i := 0; i < len(row); i += 4 {
				s[0] += int(row[i])
				s[1] += int(row[i+1])
				s[2] += int(row[i+2])
				s[3] += int(row[i+3])
			}
		}
		storeWeighted(out.Pix[o:o+4:o+4], s, bl.pixels(), 0xff, 0xff)
	})
}

// shrinkGray averages grey levels.
func shrinkGray(out *image.NRGBA, src *image.Gray, f int) {
	b := src.Bounds()
	eachBlock(out, b.Dx(), b.Dy(), f, func(o int, bl block) {
		s := 0
		for y := bl.y0; y < bl.y1; y++ {
			for _, v := range src.Pix[src.PixOffset(b.Min.X+bl.x0, b.Min.Y+y):][:bl.x1-bl.x0] {
				s += int(v)
			}
		}
		storeOpaque(out.Pix[o:o+4:o+4], [3]int{s, s, s}, bl.pixels())
	})
}

// shrinkStraight averages straight-alpha RGBA, weighting each colour by its
// alpha, as if it were premultiplied, then stores it straight again.
func shrinkStraight(out *image.NRGBA, pix []byte, stride, w, h, f int) {
	eachBlock(out, w, h, f, func(o int, bl block) {
		var s [4]int
		for y := bl.y0; y < bl.y1; y++ {
			row := pix[y*stride+4*bl.x0 : y*stride+4*bl.x1]
			for i := 0; i < len(row); i += 4 {
				a := int(row[i+3])
				s[0] += int(row[i]) * a
				s[1] += int(row[i+1]) * a
				s[2] += int(row[i+2]) * a
				s[3] += a
			}
		}
		storeWeighted(out.Pix[o:o+4:o+4], s, bl.pixels(), 0xff, 1)
	})
}

// shrinkPaletted averages the palette colours of each block, weighted by
// their alpha. An index past the palette counts as transparent black.
func shrinkPaletted(out *image.NRGBA, src *image.Paletted, f int) {
	var lut [256][4]int
	for i, c := range src.Palette {
		if i == len(lut) {
			break
		}
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		lut[i] = [4]int{int(n.R), int(n.G), int(n.B), int(n.A)}
	}
	b := src.Bounds()
	eachBlock(out, b.Dx(), b.Dy(), f, func(o int, bl block) {
		var s [4]int
		for y := bl.y0; y < bl.y1; y++ {
			for _, i := range src.Pix[src.PixOffset(b.Min.X+bl.x0, b.Min.Y+y):][:bl.x1-bl.x0] {
				c := &lut[i]
				s[0] += c[0] * c[3]
				s[1] += c[1] * c[3]
				s[2] += c[2] * c[3]
				s[3] += c[3]
			}
		}
		storeWeighted(out.Pix[o:o+4:o+4], s, bl.pixels(), 0xff, 1)
	})
}

// shrinkNaiveCMYK converts each pixel with image/color's formula (what the
// resizer would read), then averages.
func shrinkNaiveCMYK(out *image.NRGBA, src *image.CMYK, f int) {
	b := src.Bounds()
	eachBlock(out, b.Dx(), b.Dy(), f, func(o int, bl block) {
		var s [3]int
		for y := bl.y0; y < bl.y1; y++ {
			row := src.Pix[src.PixOffset(b.Min.X+bl.x0, b.Min.Y+y):][:4*(bl.x1-bl.x0)]
			for ; len(row) >= 4; row = row[4:] {
				r, g, b := color.CMYKToRGB(row[0], row[1], row[2], row[3])
				s[0], s[1], s[2] = s[0]+int(r), s[1]+int(g), s[2]+int(b)
			}
		}
		storeOpaque(out.Pix[o:o+4:o+4], s, bl.pixels())
	})
}

// shrinkWide averages any layout that reads out as 16-bit premultiplied
// colour without allocating (16-bit RGBA and grey, CMYK, YCbCr with alpha).
func shrinkWide(out *image.NRGBA, src image.RGBA64Image, f int) {
	b := src.Bounds()
	eachBlock(out, b.Dx(), b.Dy(), f, func(o int, bl block) {
		var s [4]int
		for y := bl.y0; y < bl.y1; y++ {
			for x := bl.x0; x < bl.x1; x++ {
				c := src.RGBA64At(b.Min.X+x, b.Min.Y+y)
				s[0] += int(c.R)
				s[1] += int(c.G)
				s[2] += int(c.B)
				s[3] += int(c.A)
			}
		}
		storeWeighted(out.Pix[o:o+4:o+4], s, bl.pixels(), 0xffff, 0xff)
	})
}

// block is the part of the source one output pixel averages: columns x0 to
// x1 and rows y0 to y1 (exclusive), from the source's origin; f x f,
// smaller at the right and bottom edges.
type block struct{ x0, x1, y0, y1 int }

func (b block) pixels() int { return (b.x1 - b.x0) * (b.y1 - b.y0) }

// eachBlock calls fill with the offset in out.Pix of each output pixel and
// the block of a w x h source shrunk by f that it averages: one call an
// output pixel, the loops over the block's pixels being each layout's own.
func eachBlock(out *image.NRGBA, w, h, f int, fill func(o int, b block)) {
	for oy := 0; oy < out.Rect.Dy(); oy++ {
		for ox := 0; ox < out.Rect.Dx(); ox++ {
			fill(out.PixOffset(ox, oy), block{ox * f, min(ox*f+f, w), oy * f, min(oy*f+f, h)})
		}
	}
}

// storeOpaque writes the mean of n opaque pixels whose channel sums are s.
func storeOpaque(px []uint8, s [3]int, n int) {
	px[0], px[1], px[2], px[3] = uint8((s[0]+n/2)/n), uint8((s[1]+n/2)/n), uint8((s[2]+n/2)/n), 0xFF
}

// storeWeighted writes the average of n pixels as 8-bit straight alpha. s[3]
// is the sum of their alphas, alphaMax being opaque; s[0:3] the sums of their
// colours weighted by alpha, so that s[c]*colourScale/s[3] is the mean colour
// on 0-255. Straight 8-bit sources weigh colour by 8-bit alpha (colourScale
// 1); premultiplied ones are weighted already (colourScale 255).
func storeWeighted(px []uint8, s [4]int, n, alphaMax, colourScale int) {
	px[3] = uint8((s[3]*255 + alphaMax*n/2) / (alphaMax * n))
	if s[3] == 0 {
		px[0], px[1], px[2] = 0, 0, 0
		return
	}
	for c := 0; c < 3; c++ {
		px[c] = uint8(min((s[c]*colourScale+s[3]/2)/s[3], 255))
	}
}
