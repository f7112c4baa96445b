package thumbnail

import "image"

// shrinkCMYK returns img shrunk by the whole factor k, each pixel the mean
// of a k x k block (partial blocks at the right and bottom edges average the
// pixels they have), as the scaled JPEG and PNG decoders shrink. A CMYK JPEG
// is decoded at full size; shrinking it before the profile converts it
// makes the conversion cost that of the thumbnail's source size, not the
// photo's.
func shrinkCMYK(img *image.CMYK, k int) *image.CMYK {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if k <= 1 {
		return img
	}
	ow, oh := (w+k-1)/k, (h+k-1)/k
	out := image.NewCMYK(image.Rect(0, 0, ow, oh))
	sums := make([]uint32, 4*ow)
	for oy := range oh {
		clear(sums)
		y0, y1 := oy*k, min(oy*k+k, h)
		for y := y0; y < y1; y++ {
			row := img.Pix[(b.Min.Y+y-img.Rect.Min.Y)*img.Stride+(b.Min.X-img.Rect.Min.X)*4:]
			row = row[:4*w]
			for ox := range ow {
				x0, x1 := ox*k, min(ox*k+k, w)
				s := sums[4*ox : 4*ox+4 : 4*ox+4]
				p := row[4*x0 : 4*x1]
				for i := 0; i+3 < len(p); i += 4 {
					s[0] += uint32(p[i])
					s[1] += uint32(p[i+1])
					s[2] += uint32(p[i+2])
					s[3] += uint32(p[i+3])
				}
			}
		}
		d := out.Pix[oy*out.Stride : oy*out.Stride+4*ow]
		for ox := range ow {
			n := uint32((min(ox*k+k, w) - ox*k) * (y1 - y0))
			for c := range 4 {
				d[4*ox+c] = uint8((sums[4*ox+c] + n/2) / n)
			}
		}
	}
	return out
}
