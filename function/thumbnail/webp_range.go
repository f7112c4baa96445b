package thumbnail

import "image"

// VP8, the lossy WebP codec, stores BT.601 "studio swing" YCbCr: luma 16-235
// and chroma 16-240, as libwebp reads it. golang.org/x/image/webp returns
// those planes in an image.YCbCr, whose conversion to RGB is JFIF's full
// range (Go issue 40173), so colours come out dull and shifted: pure red
// (255,1,0) became (239,15,14). expandVP8Range rescales the planes in place
// to full range, after which the standard conversion gives libwebp's
// colours.
var (
	vp8Luma   = rangeTable(16, 219)
	vp8Chroma = rangeTable(16, 224)
)

// rangeTable maps samples of [lo, lo+span] onto [0, 255], clamped.
func rangeTable(lo, span int) *[256]uint8 {
	var t [256]uint8
	for v := range t {
		x := ((v-lo)*255*2 + span) / (2 * span) // rounded
		t[v] = uint8(min(max(x, 0), 255))
	}
	return &t
}

// expandVP8Range rescales a lossy WebP decode to full-range YCbCr. Other
// images (lossless WebP decodes to NRGBA) are left as they are.
func expandVP8Range(img image.Image) {
	var y *image.YCbCr
	switch m := img.(type) {
	case *image.YCbCr:
		y = m
	case *image.NYCbCrA:
		y = &m.YCbCr
	default:
		return
	}
	for i, v := range y.Y {
		y.Y[i] = vp8Luma[v]
	}
	for i, v := range y.Cb {
		y.Cb[i] = vp8Chroma[v]
	}
	for i, v := range y.Cr {
		y.Cr[i] = vp8Chroma[v]
	}
}
