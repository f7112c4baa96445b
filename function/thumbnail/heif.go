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

// HEIC and AVIF are HEIF containers: the container is walked here
// (internal/heif), the pixels are decoded by libheif (HEVC) and libavif
// (AV1) compiled to WebAssembly (internal/wasmcodec), each compiled on its
// first use in the process.

// heicCodec reads HEIC (HEVC images, iPhone photos); it is not written.
var heicCodec = &codec{
	format:     HEIC,
	mime:       "image/heic",
	extensions: []string{".heic", ".heif", ".hif"},
	sniff:      func(data []byte) bool { return sniffHEIF(data) == HEIC },
	readHeader: func(data []byte) (header, error) { return readHEIFHeader(HEIC, data) },
	decode: func(data []byte, h *header, tw, th int, budget int64) (image.Image, error) {
		return decodeHEIF(HEIC, data, h, tw, th, budget)
	},
}

// avifCodec reads AVIF (AV1 images) and writes it (encode_lossy.go).
var avifCodec = &codec{
	format:     AVIF,
	mime:       "image/avif",
	extensions: []string{".avif"},
	sniff:      func(data []byte) bool { return sniffHEIF(data) == AVIF },
	readHeader: func(data []byte) (header, error) { return readHEIFHeader(AVIF, data) },
	decode: func(data []byte, h *header, tw, th int, budget int64) (image.Image, error) {
		return decodeHEIF(AVIF, data, h, tw, th, budget)
	},
	encode: encodeAVIF,
}

// Decoder memory per pixel of a HEIF image, measured with wasmcodec on
// 0.75, 3 and 12 MP photos (8-bit 4:2:0): libheif's peak linear memory was
// 6.9 bytes a pixel (82.5 MB for 12 MP, the file included), libavif's 21
// (aom's frames plus two RGBA copies: 17.8, 65 and 253.6 MB). Deeper
// samples double the planes. heifBaseBytes covers the codecs' tables and
// stacks; the file itself is added. The estimate refuses early; the budget
// also caps the decoder's memory, whatever the file declares.
const (
	heicBytesPerPixel     = 7
	heicDeepBytesPerPixel = 14
	avifBytesPerPixel     = 21
	avifDeepBytesPerPixel = 42
	heifBaseBytes         = 2 << 20
)

// sniffHEIF names the format of an ftyp box with HEIF brands: HEIC for
// HEVC images, AVIF for AV1 ones; a file that names only the generic brand
// (mif1) is told by its primary item, and is HEIC when that cannot be read
// (the header step then names the fault). "" when data is not HEIF.
func sniffHEIF(data []byte) Format {
	codec, ok := heif.Sniff(data)
	if !ok {
		return ""
	}
	if codec == "" {
		if info, err := heif.Parse(data); err == nil {
			codec = info.Codec
		}
	}
	if codec == heif.AV1 {
		return AVIF
	}
	return HEIC
}

// heifLayout is the container's reading, kept for the decode.
type heifLayout struct {
	info *heif.Info // detached from the source's bytes
}

func (l heifLayout) kind() string {
	s := "HEVC"
	if l.info.Codec == heif.AV1 {
		s = "AV1"
	}
	if g := l.info.Grid; g != nil {
		s += fmt.Sprintf(", grid of %dx%d tiles", g.Columns, g.Rows)
	}
	if l.info.BitDepth > 8 {
		s += fmt.Sprintf(", %d-bit", l.info.BitDepth)
	}
	return s
}

// readHEIFHeader walks the container once. The size is the one the
// decoder returns: libheif applies the file's rotation and mirroring (irot,
// imir), libavif does not, so for AVIF the pipeline turns the thumbnail.
// The EXIF orientation counts only when the file has neither property:
// phones write both with the same meaning, and applying both would turn the
// picture twice.
func readHEIFHeader(f Format, data []byte) (header, error) {
	info, err := heif.Parse(data)
	if err != nil {
		return header{}, heifError(f, err)
	}
	if want := heifCodecOf(f); info.Codec != want {
		return header{}, fmt.Errorf("%s brands around %s images", f, info.Codec)
	}
	h := header{width: info.Width, height: info.Height, orientation: info.Orientation}
	switch {
	case !info.HasTransform:
		h.orientation = tiffOrientation(info.Exif)
	case f == HEIC:
		if transposes(info.Orientation) {
			h.width, h.height = h.height, h.width
		}
		h.orientation = orientNormal
	}
	h.icc = iccProfile{data: copyICC(info.ICC)}
	h.colour = colourInfo{model: colourYCbCr, components: 3, bitDepth: max(info.BitDepth, 8), alpha: info.HasAlpha}
	if info.HasAlpha {
		h.colour.components = 4
	}
	info.Detach()
	h.layout = heifLayout{info: info}
	return h, nil
}

func heifCodecOf(f Format) heif.Codec {
	if f == AVIF {
		return heif.AV1
	}
	return heif.HEVC
}

// heifDecodeCost estimates the decoder's memory for a w x h image.
func heifDecodeCost(f Format, w, h, bitDepth, fileBytes int) int64 {
	per := int64(heicBytesPerPixel)
	switch {
	case f == AVIF && bitDepth > 8:
		per = avifDeepBytesPerPixel
	case f == AVIF:
		per = avifBytesPerPixel
	case bitDepth > 8:
		per = heicDeepBytesPerPixel
	}
	return per*int64(w)*int64(h) + int64(fileBytes) + heifBaseBytes
}

// thumbnailItemsDecoded counts decodes of a thumbnail item instead of the primary image.
var thumbnailItemsDecoded atomic.Int64

// decodeHEIF decodes with the WebAssembly decoder, whose memory is capped
// at the decode budget, and shrinks the picture inside that memory by a
// whole factor down to no less than twice the target, as the streamed PNG
// decoder does: only that small copy leaves the decoder, and the Lanczos
// filter still has a reduction of two or more to antialias (shrinking to
// the target itself left it 131 rows to make 128 from: 29.8 dB against
// the area average, 37.9 dB at twice).
func decodeHEIF(f Format, data []byte, h *header, targetW, targetH int, budget int64) (image.Image, error) {
	budget *= wasmBudgetFactor
	info := h.layout.(heifLayout).info
	w, ht := info.Width, info.Height
	if th, ok := usableThumbnail(info, h, targetW, targetH); ok {
		if patched, err := info.WithPrimary(data, th.ID); err == nil {
			data, w, ht = patched, th.Width, th.Height
			thumbnailItemsDecoded.Add(1)
		}
	}
	if need := heifDecodeCost(f, w, ht, info.BitDepth, len(data)); need > budget {
		return nil, overBudget(f, w, ht, h.layout.kind(), need, budget)
	}
	m := yuvMatrixOf(info)
	var out *image.NRGBA
	keep := func(img image.Image) error {
		b := img.Bounds()
		out = boxShrink(img, shrinkFactor(b.Dx(), b.Dy(), 2*targetW, 2*targetH), m)
		return nil
	}
	var err error
	ctx := context.Background()
	if f == AVIF {
		_, err = wasmcodec.DecodeAVIF(ctx, data, budget, func(img *image.RGBA) error { return keep(img) })
	} else {
		_, err = wasmcodec.DecodeHEIF(ctx, data, budget, keep)
	}
	if errors.Is(err, wasmcodec.ErrMemoryLimit) {
		return nil, tooLarge("%s %dx%d: the decoder needed more than the decode budget of %d MB", f, w, ht, budget/1e6)
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
func usableThumbnail(info *heif.Info, h *header, targetW, targetH int) (heif.Thumbnail, bool) {
	if info.Codec != heif.HEVC {
		return heif.Thumbnail{}, false
	}
	for _, th := range info.Thumbnails {
		if th.Codec != info.Codec || th.Orientation != info.Orientation {
			continue
		}
		tw, tt := th.Width, th.Height
		if h.width != info.Width { // libheif turns the thumbnail too
			tw, tt = tt, tw
		}
		sameShape := abs64(int64(tw)*int64(h.height)-int64(tt)*int64(h.width)) <= int64(h.width)*int64(h.height)/100
		if sameShape && tw >= 2*targetW && tt >= 2*targetH {
			return th, true
		}
	}
	return heif.Thumbnail{}, false
}

func abs64(v int64) int64 {
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
