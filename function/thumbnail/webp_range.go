package thumbnail

import "image"

// VP8, the lossy WebP codec, stores BT.601 "studio swing" YCbCr: luma 16-235
// and chroma 16-240, as libwebp reads it. internal/vp8, like the
// golang.org/x/image/webp it is copied from, returns those planes in an
// image.YCbCr, whose conversion to RGB is JFIF's full
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
	mapSamples(y.Y, vp8Luma)
	mapSamples(y.Cb, vp8Chroma)
	mapSamples(y.Cr, vp8Chroma)
}

// mapSamples replaces each sample v of p with t[v], eight at a time: a
// 64 MP image has 96 million samples.
func mapSamples(p []byte, t *[256]uint8) {
	i := 0
	for ; i+8 <= len(p); i += 8 {
		q := (*[8]byte)(p[i : i+8])
		q[0], q[1], q[2], q[3] = t[q[0]], t[q[1]], t[q[2]], t[q[3]]
		q[4], q[5], q[6], q[7] = t[q[4]], t[q[5]], t[q[6]], t[q[7]]
	}
	for ; i < len(p); i++ {
		p[i] = t[p[i]]
	}
}
