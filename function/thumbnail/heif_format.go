package thumbnail

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync/atomic"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"
)

// HEIC and AVIF are HEIF containers: the container is read here
// (internal/heif), the pixels by libheif (HEVC) and libavif (AV1) compiled
// to WebAssembly (internal/wasmcodec), compiled on first use.

// Decoder memory per pixel of a HEIF image, measured with wasmcodec on
// 0.75, 3 and 12 MP photos (8-bit 4:2:0): libheif's peak linear memory
// grew by 6.6 bytes a pixel, libavif's by 20 (aom's frames plus two RGBA
// copies). Deeper samples double the planes. heifBaseBytes covers the
// codecs' tables and stacks; the file itself is added.
const (
	heifBytesPerPixel     = 7
	heifDeepBytesPerPixel = 14
	avifBytesPerPixel     = 21
	avifDeepBytesPerPixel = 40
	heifBaseBytes         = 4 << 20
)

// sniffHEIF names the format of an ftyp box with HEIF brands: HEIC for
// HEVC images, AVIF for AV1 ones; a file that names only the generic brand
// (mif1) is told by its primary item.
func sniffHEIF(data []byte) (Format, bool) {
	codec, ok := heif.Sniff(data)
	if !ok {
		return "", false
	}
	if codec == "" {
		info, err := heif.Parse(data)
		if err != nil {
			return HEIC, true // corrupt either way: the decoder names the fault
		}
		codec = info.Codec
	}
	if codec == heif.AV1 {
		return AVIF, true
	}
	return HEIC, true
}

// thumbnailItemsDecoded counts decodes of a thumbnail item instead of the primary image.
var thumbnailItemsDecoded atomic.Int64

// heifDecoder reads HEIC (f = HEIC) or AVIF (f = AVIF).
type heifDecoder struct{ f Format }

// heifSource is what the container says, with the pipeline's reading of it.
type heifSource struct {
	info *heif.Info
	// width and height are the size the decoder returns: libheif applies
	// the file's rotation, libavif does not.
	width, height int
	// orientation is what the pipeline still has to apply after decoding.
	orientation int
}

// readHEIF walks the container. Rotation and mirroring come from the irot
// and imir properties, which libheif applies and the pipeline applies for
// libavif. The EXIF orientation is used only when the file has neither:
// phones write both with the same meaning, and applying both would turn
// the picture twice.
func readHEIF(f Format, data []byte) (heifSource, error) {
	info, err := heif.Parse(data)
	if err != nil {
		return heifSource{}, err
	}
	s := heifSource{info: info, width: info.Width, height: info.Height, orientation: info.Orientation}
	switch {
	case !info.HasTransform:
		s.orientation = tiffOrientation(info.Exif)
	case f == HEIC:
		if transposes(info.Orientation) {
			s.width, s.height = s.height, s.width
		}
		s.orientation = orientNormal
	}
	return s, nil
}

func (d heifDecoder) config(data []byte) (image.Config, error) {
	s, err := readHEIF(d.f, data)
	if err != nil {
		return image.Config{}, heifError(d.f, err)
	}
	if s.info.Codec != heifCodec(d.f) {
		return image.Config{}, fmt.Errorf("%s brands but %s images", d.f, s.info.Codec)
	}
	return image.Config{Width: s.width, Height: s.height}, nil
}

func heifCodec(f Format) heif.Codec {
	if f == AVIF {
		return heif.AV1
	}
	return heif.HEVC
}

// decodeCost estimates the decoder's memory for an image of w x h.
func (d heifDecoder) decodeCost(w, h, bitDepth, fileBytes int) int64 {
	per := int64(heifBytesPerPixel)
	switch {
	case d.f == AVIF && bitDepth > 8:
		per = avifDeepBytesPerPixel
	case d.f == AVIF:
		per = avifBytesPerPixel
	case bitDepth > 8:
		per = heifDeepBytesPerPixel
	}
	return per*int64(w)*int64(h) + int64(fileBytes) + heifBaseBytes
}

func (d heifDecoder) decode(data []byte, targetW, targetH int, budget int64) (image.Image, error) {
	s, err := readHEIF(d.f, data)
	if err != nil {
		return nil, heifError(d.f, err)
	}
	w, h := s.info.Width, s.info.Height
	if th, ok := usableThumbnail(s, targetW, targetH); ok {
		if patched, err := s.info.WithPrimary(data, th.ID); err == nil {
			data, w, h = patched, th.Width, th.Height
			thumbnailItemsDecoded.Add(1)
		}
	}
	if need := d.decodeCost(w, h, s.info.BitDepth, len(data)); need > budget {
		return nil, overBudget(d.f, w, h, "image", need, budget)
	}
	m := yuvMatrixOf(s.info)
	var out *image.NRGBA
	keep := func(img image.Image) error {
		b := img.Bounds()
		out = boxShrink(img, shrinkFactor(b.Dx(), b.Dy(), targetW, targetH), m)
		return nil
	}
	ctx := context.Background()
	if d.f == AVIF {
		_, err = wasmcodec.DecodeAVIF(ctx, data, budget, func(img *image.RGBA) error { return keep(img) })
	} else {
		_, err = wasmcodec.DecodeHEIF(ctx, data, budget, keep)
	}
	if errors.Is(err, wasmcodec.ErrMemoryLimit) {
		return nil, tooLarge("%s %dx%d: the decoder needed more than the decode budget of %d MB", d.f, w, h, budget/1e6)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// usableThumbnail returns a thumbnail item of an HEIC file worth decoding
// instead of the primary image: at least twice the size the pipeline needs
// in each direction, of the same shape and orientation. (libavif does not
// decode an item that is a thumbnail of another as the primary image.)
func usableThumbnail(s heifSource, targetW, targetH int) (heif.Thumbnail, bool) {
	if s.info.Codec != heif.HEVC {
		return heif.Thumbnail{}, false
	}
	for _, th := range s.info.Thumbnails {
		if th.Codec != s.info.Codec || th.Orientation != s.info.Orientation {
			continue
		}
		tw, tt := th.Width, th.Height
		if s.width != s.info.Width { // libheif turns the thumbnail too
			tw, tt = tt, tw
		}
		sameShape := abs(int64(tw)*int64(s.height)-int64(tt)*int64(s.width)) <= int64(s.width)*int64(s.height)/100
		if sameShape && tw >= 2*targetW && tt >= 2*targetH {
			return th, true
		}
	}
	return heif.Thumbnail{}, false
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// yuvMatrixOf returns the YCbCr conversion the file's nclx box names.
func yuvMatrixOf(info *heif.Info) yuvMatrix {
	if n := info.NCLX; n != nil {
		return matrixFor(n.MatrixCoefficients, n.FullRange, true)
	}
	return matrixFor(2, true, false)
}

// heifError turns a walker's refusal into the pipeline's kind of error: a
// container over the walker's bounds is too large, an image coded in a way
// not read here is unsupported, anything else is returned as is (corrupt).
func heifError(f Format, err error) error {
	var limit heif.LimitError
	var unsup heif.UnsupportedError
	switch {
	case errors.As(err, &limit):
		return tooLarge("%s header: %v", f, err)
	case errors.As(err, &unsup):
		return unsupported("%s: %v", f, err)
	}
	return err
}
