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
	enc := t.enc[:encSteps+1]
	for i := 0; i+2 < len(src); i += step {
		r, g, b := lr[src[i]], lg[src[i+1]], lb[src[i+2]]
		dst[i] = enc[encIndex(m[0]*r+m[1]*g+m[2]*b+o[0])]
		dst[i+1] = enc[encIndex(m[3]*r+m[4]*g+m[5]*b+o[1])]
		dst[i+2] = enc[encIndex(m[6]*r+m[7]*g+m[8]*b+o[2])]
	}
}

// gridPos returns the grid cell and the fraction within it of an 8-bit
// input on a grid of g points.
func gridPos(v uint8, g int) (int, float32) {
	p := float32(v) * float32(g-1) / 255
	i := min(int(p), g-2)
	return i, p - float32(i)
}

// lut3 interpolates the three-input grid tetrahedrally.
func (t *Transform) lut3(r, g, b uint8) (uint8, uint8, uint8) {
	var out [3]float32
	t.tetra(0, r, g, b, &out)
	return t.out8(out[0]), t.out8(out[1]), t.out8(out[2])
}

// tetra interpolates the last three inputs of the grid from node offset base.
func (t *Transform) tetra(base int, x, y, z uint8, out *[3]float32) {
	g := t.grid
	sz := 3
	sy := 3 * g
	sx := 3 * g * g
	ix, rx := gridPos(x, g)
	iy, ry := gridPos(y, g)
	iz, rz := gridPos(z, g)
	o := base + ix*sx + iy*sy + iz*sz
	var s1, s2 int
	var w0, w1, w2, w3 float32
	switch {
	case rx >= ry && ry >= rz:
		s1, s2 = sx, sx+sy
		w0, w1, w2, w3 = 1-rx, rx-ry, ry-rz, rz
	case rx >= rz && rz >= ry:
		s1, s2 = sx, sx+sz
		w0, w1, w2, w3 = 1-rx, rx-rz, rz-ry, ry
	case rz >= rx && rx >= ry:
		s1, s2 = sz, sz+sx
		w0, w1, w2, w3 = 1-rz, rz-rx, rx-ry, ry
	case ry >= rx && rx >= rz:
		s1, s2 = sy, sy+sx
		w0, w1, w2, w3 = 1-ry, ry-rx, rx-rz, rz
	case ry >= rz && rz >= rx:
		s1, s2 = sy, sy+sz
		w0, w1, w2, w3 = 1-ry, ry-rz, rz-rx, rx
	default:
		s1, s2 = sz, sz+sy
		w0, w1, w2, w3 = 1-rz, rz-ry, ry-rx, rx
	}
	s3 := sx + sy + sz
	n := t.nodes[o : o+s3+3]
	for k := range 3 {
		out[k] = w0*n[k] + w1*n[s1+k] + w2*n[s2+k] + w3*n[s3+k]
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
		for i := 0; i < len(s); i += 4 {
			ic, fc := gridPos(s[i], g)
			var lo, hi [3]float32
			t.tetra(ic*plane, s[i+1], s[i+2], s[i+3], &lo)
			t.tetra((ic+1)*plane, s[i+1], s[i+2], s[i+3], &hi)
			d[i] = t.out8(lo[0] + fc*(hi[0]-lo[0]))
			d[i+1] = t.out8(lo[1] + fc*(hi[1]-lo[1]))
			d[i+2] = t.out8(lo[2] + fc*(hi[2]-lo[2]))
			d[i+3] = 0xff
		}
	}
	return dst
}

// out8 turns an interpolated node value into an 8-bit sRGB value.
func (t *Transform) out8(v float32) uint8 {
	if t.linear {
		return t.enc[encIndex(v)]
	}
	if !(v > 0) {
		return 0
	}
	if v >= 1 {
		return 255
	}
	return uint8(v*255 + 0.5)
}
