package icc

import (
	"fmt"
	"image"
	"image/draw"
)

// Channels is the number of device channels the transform reads: 1 (grey),
// 3 (RGB) or 4 (CMYK).
func (t *Transform) Channels() int { return t.channels }

// IsIdentity reports whether the transform leaves pixels as they are (the
// source profile is sRGB).
func (t *Transform) IsIdentity() bool { return t.kind == kindIdentity }

// Convert returns img converted to sRGB. *image.NRGBA and *image.Gray
// images are converted in place and returned; other images are first copied
// into a new *image.NRGBA. A CMYK transform needs an *image.CMYK, which
// becomes a new *image.NRGBA. Alpha is kept.
func (t *Transform) Convert(img image.Image) (image.Image, error) {
	if t.kind == kindIdentity {
		return img, nil
	}
	if t.channels == 4 {
		c, ok := img.(*image.CMYK)
		if !ok {
			return nil, fmt.Errorf("icc: CMYK profile on a %T image", img)
		}
		return t.convertCMYK(c), nil
	}
	if g, ok := img.(*image.Gray); ok && t.kind == kindGray {
		t.convertGray(g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy())
		return g, nil
	}
	n, ok := img.(*image.NRGBA)
	if !ok {
		n = image.NewNRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
		draw.Draw(n, n.Rect, img, img.Bounds().Min, draw.Src)
	}
	t.convertNRGBA(n)
	return n, nil
}

// convertGray maps grey samples through the grey table.
func (t *Transform) convertGray(pix []uint8, stride, w, h int) {
	for y := range h {
		row := pix[y*stride : y*stride+w]
		for i, v := range row {
			row[i] = t.gray[v]
		}
	}
}

// convertNRGBA converts the colour of each pixel in place, alpha untouched.
func (t *Transform) convertNRGBA(img *image.NRGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		switch t.kind {
		case kindGray:
			for i := 0; i < len(row); i += 4 {
				row[i], row[i+1], row[i+2] = t.gray[row[i]], t.gray[row[i+1]], t.gray[row[i+2]]
			}
		case kindMatrix:
			t.matrixRow(row, row, 4)
		case kindLUT:
			for i := 0; i < len(row); i += 4 {
				row[i], row[i+1], row[i+2] = t.lut3(row[i], row[i+1], row[i+2])
			}
		}
	}
}

// matrixRow converts the pixels of src (step bytes apart, RGB first) into
// dst, which may be src.
func (t *Transform) matrixRow(dst, src []uint8, step int) {
	m, o := &t.matrix, &t.offset
	lr, lg, lb := &t.lin[0], &t.lin[1], &t.lin[2]
	out := t.out[:encSteps+1]
	for i := 0; i+2 < len(src) && i+2 < len(dst); i += step {
		r, g, b := lr[src[i]], lg[src[i+1]], lb[src[i+2]]
		dst[i] = out[linIndex(m[0]*r+m[1]*g+m[2]*b+o[0])]
		dst[i+1] = out[linIndex(m[3]*r+m[4]*g+m[5]*b+o[1])]
		dst[i+2] = out[linIndex(m[6]*r+m[7]*g+m[8]*b+o[2])]
	}
}

// lut3 interpolates the three-input grid tetrahedrally.
func (t *Transform) lut3(r, g, b uint8) (uint8, uint8, uint8) {
	var v [3]int
	t.tetra(0, r, g, b, &v)
	return t.out8(v[0]), t.out8(v[1]), t.out8(v[2])
}

// tetra interpolates the last three inputs of the grid from node offset
// base; out is in node units times fracOne.
func (t *Transform) tetra(base int, x, y, z uint8, out *[3]int) {
	g := t.grid
	const sz = 3
	sy := 3 * g
	sx := 3 * g * g
	rx, ry, rz := int(t.frac[x]), int(t.frac[y]), int(t.frac[z])
	o := base + int(t.cell[x])*sx + int(t.cell[y])*sy + int(t.cell[z])*sz
	var s1, s2 int
	var w0, w1, w2, w3 int
	switch {
	case rx >= ry && ry >= rz:
		s1, s2 = sx, sx+sy
		w0, w1, w2, w3 = fracOne-rx, rx-ry, ry-rz, rz
	case rx >= rz && rz >= ry:
		s1, s2 = sx, sx+sz
		w0, w1, w2, w3 = fracOne-rx, rx-rz, rz-ry, ry
	case rz >= rx && rx >= ry:
		s1, s2 = sz, sz+sx
		w0, w1, w2, w3 = fracOne-rz, rz-rx, rx-ry, ry
	case ry >= rx && rx >= rz:
		s1, s2 = sy, sy+sx
		w0, w1, w2, w3 = fracOne-ry, ry-rx, rx-rz, rz
	case ry >= rz && rz >= rx:
		s1, s2 = sy, sy+sz
		w0, w1, w2, w3 = fracOne-ry, ry-rz, rz-rx, rx
	default:
		s1, s2 = sz, sz+sy
		w0, w1, w2, w3 = fracOne-rz, rz-ry, ry-rx, rx
	}
	s3 := sx + sy + sz
	n := t.nodes[o : o+s3+3]
	for k := range 3 {
		out[k] = w0*int(n[k]) + w1*int(n[s1+k]) + w2*int(n[s2+k]) + w3*int(n[s3+k])
	}
}

// convertCMYK converts a CMYK image into a new opaque NRGBA image, linearly
// between the two grid planes around C and tetrahedrally in M, Y, K.
func (t *Transform) convertCMYK(src *image.CMYK) *image.NRGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	g := t.grid
	plane := 3 * g * g * g
	for y := range h {
		s := src.Pix[y*src.Stride : y*src.Stride+4*w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i := 0; i+3 < len(s) && i+3 < len(d); i += 4 {
			c := s[i]
			base := int(t.cell[c]) * plane
			fc := int(t.frac[c])
			var lo, hi [3]int
			t.tetra(base, s[i+1], s[i+2], s[i+3], &lo)
			if fc == 0 {
				d[i], d[i+1], d[i+2] = t.out8(lo[0]), t.out8(lo[1]), t.out8(lo[2])
			} else {
				t.tetra(base+plane, s[i+1], s[i+2], s[i+3], &hi)
				for k := range 3 {
					d[i+k] = t.out8(lo[k] + (hi[k]-lo[k])*fc>>16)
				}
			}
			d[i+3] = 0xff
		}
	}
	return dst
}

// out8 turns an interpolated value (node units times fracOne) into 8 bits.
func (t *Transform) out8(v int) uint8 {
	i := min(max((v+fracOne/2)>>16, 0), encSteps)
	return t.out[i]
}
