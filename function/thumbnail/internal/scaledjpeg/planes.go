package scaledjpeg

import (
	"image"
	"image/color"
	"image/jpeg"
)

// subsampleRatio maps how many luma samples a chroma sample spans across and
// down to image.YCbCr's layout.
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

// dcQuantizer is the quantizer of the component's DC coefficients.
func (c *component) dcQuantizer() int32 { return int32(c.quant[0]) }

// fillPlane writes w x h block means of c into dst, a plane with the given stride.
func fillPlane(dst []uint8, stride, w, h int, c *component) {
	q := c.dcQuantizer()
	for y := 0; y < h; y++ {
		row := dst[y*stride : y*stride+w]
		src := c.coef[y*c.bw : y*c.bw+w]
		for x := range row {
			row[x] = sample(src[x], q)
		}
	}
}

// image assembles the DC planes into an image 1/8 the size of the frame,
// rounded up, of the type image/jpeg decodes the file to: *image.Gray for
// one component, *image.RGBA for R, G, B, *image.YCbCr for other three,
// *image.CMYK for four.
func (d *decoder) image() (image.Image, error) {
	if d.scans == 0 {
		return nil, formatError("missing SOS marker")
	}
	r := image.Rect(0, 0, (d.width+7)/8, (d.height+7)/8)
	switch {
	case d.nComp == 1:
		img := image.NewGray(r)
		fillPlane(img.Pix, img.Stride, r.Dx(), r.Dy(), &d.comp[0])
		return img, nil
	case d.nComp == 4:
		return d.imageCMYK(r)
	case d.isRGB():
		img := image.NewRGBA(r)
		for i := range 3 {
			d.fillChannel(img.Pix, img.Stride, r, i, false)
		}
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 255
		}
		return img, nil
	}
	// image.YCbCr holds chroma at 1/1, 1/2 or 1/4 of luma's resolution:
	// the planes go in as they are when both chroma components share a
	// sampling that luma's is a multiple of.
	y, cb, cr := &d.comp[0], &d.comp[1], &d.comp[2]
	ratio, ok := subsampleRatio(d.hMax/cb.h, d.vMax/cb.v)
	if !ok || y.h != d.hMax || y.v != d.vMax || cb.h != cr.h || cb.v != cr.v ||
		d.hMax%cb.h != 0 || d.vMax%cb.v != 0 {
		return d.image444(r), nil
	}
	img := image.NewYCbCr(r, ratio)
	fillPlane(img.Y, img.YStride, r.Dx(), r.Dy(), &d.comp[0])
	cw, ch := img.CStride, len(img.Cb)/img.CStride
	fillPlane(img.Cb, img.CStride, cw, ch, &d.comp[1])
	fillPlane(img.Cr, img.CStride, cw, ch, &d.comp[2])
	return img, nil
}

// image444 assembles the DC planes of a layout image.YCbCr has no ratio for
// (3x1 or 1x4 luma, chroma sampled finer than luma): every pixel of the
// 1/8 image takes the block of each component that covers it. image/jpeg
// refuses these files; libjpeg reads them.
func (d *decoder) image444(r image.Rectangle) image.Image {
	img := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
	planes := [3][]uint8{img.Y, img.Cb, img.Cr}
	for i := range planes {
		c := &d.comp[i]
		q := c.dcQuantizer()
		for y := 0; y < r.Dy(); y++ {
			by := y * c.v / d.vMax
			row := planes[i][y*img.YStride : y*img.YStride+r.Dx()]
			for x := range row {
				row[x] = sample(c.coef[by*c.bw+x*c.h/d.hMax], q)
			}
		}
	}
	return img
}

// imageCMYK assembles four DC planes as image/jpeg decodes four components,
// which needs an Adobe APP14 segment to tell how they are stored:
//   - transform 0, CMYK as Adobe writes it, inverted (255 is no ink):
//     each channel is inverted back;
//   - any other transform, YCCK: Y, Cb and Cr convert to R, G, B, which are
//     C, M and Y (the conversion undoes Adobe's inversion), and K is
//     inverted.
//
// image/jpeg refuses four components without the segment, after decoding
// them; this decoder refuses them in the same words.
func (d *decoder) imageCMYK(r image.Rectangle) (image.Image, error) {
	if !d.adobe {
		return nil, jpeg.UnsupportedError("unknown color model: 4-component JPEG doesn't have Adobe APP14 metadata")
	}
	img := image.NewCMYK(r)
	ycck := d.adobeXform != 0
	for i := range 4 {
		d.fillChannel(img.Pix, img.Stride, r, i, !ycck || i == 3)
	}
	if ycck {
		for y := 0; y < r.Dy(); y++ {
			row := img.Pix[y*img.Stride : y*img.Stride+4*r.Dx()]
			for x := 0; x < len(row); x += 4 {
				row[x], row[x+1], row[x+2] = color.YCbCrToRGB(row[x], row[x+1], row[x+2])
			}
		}
	}
	return img, nil
}

// fillChannel writes the block means of component i into channel i of an
// image of four bytes a pixel (RGBA, CMYK), inverted if asked: every pixel
// of the 1/8 image takes the block of the component that covers it, as
// image/jpeg repeats the samples of a subsampled component.
func (d *decoder) fillChannel(pix []uint8, stride int, r image.Rectangle, i int, invert bool) {
	c := &d.comp[i]
	q := c.dcQuantizer()
	var flip uint8
	if invert {
		flip = 255
	}
	for y := 0; y < r.Dy(); y++ {
		src := c.coef[y*c.v/d.vMax*c.bw:]
		row := pix[y*stride : y*stride+4*r.Dx()]
		for x := 0; x < r.Dx(); x++ {
			row[4*x+i] = flip ^ sample(src[x*c.h/d.hMax], q)
		}
	}
}
