package thumbnail

import "image"

// shrinkFactor is the largest whole factor by which a w x h image can be
// reduced and still be at least targetW x targetH.
func shrinkFactor(w, h, targetW, targetH int) int {
	f := min(w/max(targetW, 1), h/max(targetH, 1))
	return max(f, 1)
}

// boxShrink returns img reduced by f: each output pixel is the average of an
// f x f block (smaller at the right and bottom edges). A WebAssembly decoder's
// image lives in its own memory only while it runs, so the pipeline takes
// this small copy instead of the full picture; the area average is what a
// downscale converges to, and the resize step finishes from it.
func boxShrink(img image.Image, f int, m yuvMatrix) *image.NRGBA {
	b := img.Bounds()
	ow, oh := (b.Dx()+f-1)/f, (b.Dy()+f-1)/f
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	switch src := img.(type) {
	case *image.YCbCr:
		shrinkYCbCr(out, src, f, m)
	case *image.RGBA:
		shrinkPremultiplied(out, src.Pix, src.Stride, b.Dx(), b.Dy(), f)
	case *image.Gray:
		shrinkGray(out, src, f)
	default:
		n := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				n.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
		shrinkPremultiplied(out, n.Pix, n.Stride, b.Dx(), b.Dy(), f)
	}
	return out
}

// shrinkYCbCr averages luma and chroma over each block, then converts once:
// the conversion is affine, so averaging first gives the same colour.
func shrinkYCbCr(out *image.NRGBA, src *image.YCbCr, f int, m yuvMatrix) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := out.Rect.Dx(), out.Rect.Dy()
	for oy := 0; oy < oh; oy++ {
		y0, y1 := oy*f, min(oy*f+f, h)
		for ox := 0; ox < ow; ox++ {
			x0, x1 := ox*f, min(ox*f+f, w)
			var sy, scb, scr, n int
			for y := y0; y < y1; y++ {
				row := src.Y[src.YOffset(b.Min.X+x0, b.Min.Y+y):]
				for x := 0; x < x1-x0; x++ {
					sy += int(row[x])
				}
				for x := x0; x < x1; x++ {
					c := src.COffset(b.Min.X+x, b.Min.Y+y)
					scb += int(src.Cb[c])
					scr += int(src.Cr[c])
				}
				n += x1 - x0
			}
			r, g, bl := m.rgb(float64(sy)/float64(n), float64(scb)/float64(n), float64(scr)/float64(n))
			o := out.PixOffset(ox, oy)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = r, g, bl, 0xFF
		}
	}
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
	ow, oh := out.Rect.Dx(), out.Rect.Dy()
	for oy := 0; oy < oh; oy++ {
		y0, y1 := oy*f, min(oy*f+f, h)
		for ox := 0; ox < ow; ox++ {
			x0, x1 := ox*f, min(ox*f+f, w)
			var s [4]int
			n := (y1 - y0) * (x1 - x0)
			for y := y0; y < y1; y++ {
				row := pix[y*stride+4*x0 : y*stride+4*x1]
				for i := 0; i < len(row); i += 4 {
					s[0] += int(row[i])
					s[1] += int(row[i+1])
					s[2] += int(row[i+2])
					s[3] += int(row[i+3])
				}
			}
			o := out.PixOffset(ox, oy)
			a := (s[3] + n/2) / n
			out.Pix[o+3] = uint8(a)
			if s[3] == 0 {
				continue
			}
			for c := 0; c < 3; c++ {
				out.Pix[o+c] = uint8(min((s[c]*255+s[3]/2)/s[3], 255))
			}
		}
	}
}

func shrinkGray(out *image.NRGBA, src *image.Gray, f int) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := out.Rect.Dx(), out.Rect.Dy()
	for oy := 0; oy < oh; oy++ {
		y0, y1 := oy*f, min(oy*f+f, h)
		for ox := 0; ox < ow; ox++ {
			x0, x1 := ox*f, min(ox*f+f, w)
			s, n := 0, (y1-y0)*(x1-x0)
			for y := y0; y < y1; y++ {
				row := src.Pix[src.PixOffset(b.Min.X+x0, b.Min.Y+y):]
				for x := 0; x < x1-x0; x++ {
					s += int(row[x])
				}
			}
			v := uint8((s + n/2) / n)
			o := out.PixOffset(ox, oy)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = v, v, v, 0xFF
		}
	}
}
