package thumbnail

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
)

// encode writes the thumbnail in Options.Format, or in the source's format
// when unset, with that format's encoder. HEIC and AVIF sources, phone
// photos, get JPEG when unset: every viewer shows it and it needs no
// WebAssembly encoder. A WebP thumbnail of a lossless WebP or a GIF is
// lossless, as its source.
func encode(j *job) error {
	f := j.opts.Format
	if f == "" {
		f = j.format
		if f == HEIC || f == AVIF {
			f = JPEG
		}
	}
	c := codecOf(f)
	if c == nil || c.encode == nil {
		return fmt.Errorf("encode: no encoder for format %q", f)
	}
	enc := c.encode
	if f == WebP && j.losslessSource() {
		enc = encodeWebPLossless
	}
	var buf bytes.Buffer
	if err := enc(&buf, j.thumb, j.opts); err != nil {
		return fmt.Errorf("encode %s thumbnail: %w", f, err)
	}
	j.out, j.outFormat = buf.Bytes(), f
	return nil
}

// onWhite composites img over an opaque white background, for the formats
// that have no alpha or only a transparent palette entry.
func onWhite(img *image.NRGBA) *image.RGBA {
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Over)
	return dst
}

// losslessSource reports a source coded losslessly with few colours
// (lossless WebP, GIF), whose WebP thumbnail is lossless too.
func (j *job) losslessSource() bool {
	l, isWebP := j.header.layout.(webpLayout)
	return j.format == GIF || isWebP && l.lossless
}
