package thumbnail

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// encoders write the thumbnail in each output format.
var encoders = map[Format]func(*bytes.Buffer, *image.NRGBA, Options) error{
	JPEG: encodeJPEG,
	PNG:  encodePNG,
	GIF:  encodeGIF,
	WebP: encodeWebP,
	AVIF: encodeAVIF,
}

// encode writes the thumbnail in Options.Format, or when unset in the
// source's format; HEIC and AVIF sources, phone photos, get JPEG, which
// every viewer shows and which needs no WebAssembly encoder.
func encode(j *job) error {
	f := j.opts.Format
	if f == "" {
		f = j.format
		if f == HEIC || f == AVIF {
			f = JPEG
		}
	}
	enc, ok := encoders[f]
	if !ok {
		return fmt.Errorf("encode: no encoder for format %q", f)
	}
	var buf bytes.Buffer
	if f == WebP && j.losslessSource {
		enc = encodeWebPLossless
	}
	if err := enc(&buf, j.thumb, j.opts); err != nil {
		return fmt.Errorf("encode %s thumbnail: %w", f, err)
	}
	j.out, j.outFormat = buf.Bytes(), f
	return nil
}

// encodeJPEG flattens any transparency onto white (JPEG has no alpha) and
// writes at Options.Quality.
func encodeJPEG(w *bytes.Buffer, img *image.NRGBA, o Options) error {
	return jpeg.Encode(w, onWhite(img), &jpeg.Options{Quality: o.Quality})
}

// encodePNG writes 8-bit PNG, keeping alpha; fully opaque images come out as RGB.
func encodePNG(w *bytes.Buffer, img *image.NRGBA, _ Options) error {
	return png.Encode(w, img)
}

// encodeGIF writes one frame. Opaque images are dithered to the Plan 9
// palette, the encoder's default; images with transparency get a web-safe
// palette plus one transparent entry, used for pixels under half opacity.
func encodeGIF(w *bytes.Buffer, img *image.NRGBA, _ Options) error {
	if img.Opaque() {
		return gif.Encode(w, img, nil)
	}
	pal := append(color.Palette{color.Transparent}, palette.WebSafe...)
	dst := image.NewPaletted(img.Bounds(), pal)
	draw.FloydSteinberg.Draw(dst, dst.Bounds(), onWhite(img), image.Point{})
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if img.NRGBAAt(x, y).A < 0x80 {
				dst.SetColorIndex(x, y, 0)
			}
		}
	}
	return gif.Encode(w, dst, nil)
}

// onWhite composites img over an opaque white background.
func onWhite(img *image.NRGBA) *image.RGBA {
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Over)
	return dst
}
