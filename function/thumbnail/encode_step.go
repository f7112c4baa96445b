package thumbnail

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
)

// encode writes the thumbnail in Options.Format, or in the source's format
// when unset, with that format's encoder.
func encode(j *job) error {
	f := j.opts.Format
	if f == "" {
		f = j.format
	}
	c := codecOf(f)
	if c == nil || c.encode == nil {
		return fmt.Errorf("encode: no encoder for format %q", f)
	}
	var buf bytes.Buffer
	if err := c.encode(&buf, j.thumb, j.opts); err != nil {
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
