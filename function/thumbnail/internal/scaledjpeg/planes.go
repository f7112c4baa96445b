package scaledjpeg

import "image"

// subsampleRatio maps the luma sampling factors of a three-component frame
// (chroma at 1x1) to image.YCbCr's layout.
func subsampleRatio(h, v int) (image.YCbCrSubsampleRatio, bool) {
	switch {
	case h == 1 && v == 1:
		return image.YCbCrSubsampleRatio444, true
	case h == 2 && v == 1:
		return image.YCbCrSubsampleRatio422, true
	case h == 2 && v == 2:
		return image.YCbCrSubsampleRatio420, true
	case h == 1 && v == 2:
		return image.YCbCrSubsampleRatio440, true
	case h == 4 && v == 1:
		return image.YCbCrSubsampleRatio411, true
	case h == 4 && v == 2:
		return image.YCbCrSubsampleRatio410, true
	}
	return 0, false
}

// sample turns a quantized DC coefficient into the mean of its 8x8 block:
// the DCT's DC term is eight times the mean, level-shifted by 128.
func sample(coef, q int32) uint8 {
	v := 128 + (int64(coef)*int64(q)+4)>>3
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}

// fillPlane writes w x h block means of c into dst, a plane with the given stride.
func fillPlane(dst []uint8, stride, w, h int, c *component) {
	for y := 0; y < h; y++ {
		row := dst[y*stride : y*stride+w]
		src := c.coef[y*c.bw : y*c.bw+w]
		for x := range row {
			row[x] = sample(src[x], c.q)
		}
	}
}

// image assembles the DC planes into an image 1/8 the size of the frame,
// rounded up: *image.Gray for one component, *image.YCbCr for three.
func (d *decoder) image() (image.Image, error) {
	if d.scans == 0 {
		return nil, formatError("missing SOS marker")
	}
	r := image.Rect(0, 0, (d.width+7)/8, (d.height+7)/8)
	if d.nComp == 1 {
		img := image.NewGray(r)
		fillPlane(img.Pix, img.Stride, r.Dx(), r.Dy(), &d.comp[0])
		return img, nil
	}
	if d.isRGB() {
		return nil, errNoDCPath
	}
	ratio, _ := subsampleRatio(d.hMax, d.vMax)
	img := image.NewYCbCr(r, ratio)
	fillPlane(img.Y, img.YStride, r.Dx(), r.Dy(), &d.comp[0])
	cw, ch := img.CStride, len(img.Cb)/img.CStride
	fillPlane(img.Cb, img.CStride, cw, ch, &d.comp[1])
	fillPlane(img.Cr, img.CStride, cw, ch, &d.comp[2])
	return img, nil
}
