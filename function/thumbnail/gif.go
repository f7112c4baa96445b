package thumbnail

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
)

// gifCodec reads the first frame of a GIF with image/gif and writes one frame.
var gifCodec = &codec{
	format:     GIF,
	mime:       "image/gif",
	extensions: []string{".gif"},
	signatures: []signature{
		{"GIF87a", "\xFF\xFF\xFF\xFF\xFF\xFF"},
		{"GIF89a", "\xFF\xFF\xFF\xFF\xFF\xFF"},
	},
	readHeader: readGIFHeader,
	decode:     decodeGIF,
	encode:     encodeGIF,
}

// gifBytesPerPixel is what image/gif and the decoder's first-frame handling
// allocate per pixel of the logical screen: the frame, one byte a pixel and at
// most the screen, then four bytes a pixel for either the canvas it is drawn
// on or the resizer's RGBA copy of it.
const gifBytesPerPixel = 5

// gifLayout is what the GIF header declares: only the logical screen, which
// image/gif's DecodeConfig reads. GIF carries no EXIF orientation, and the
// rare ICC profile in an application extension is not read.
type gifLayout struct {
	// screen is the logical screen as declared, before growing it to hold
	// the first frame.
	screen image.Point
}

func (gifLayout) kind() string { return "first frame" }

// readGIFHeader reads the logical screen with image/gif, grown to hold the
// first frame when that reaches past it (see gifFirstFrame). The grown size
// is the one limits check; it can exceed the 65,535 pixels a GIF can
// declare, which the side limit then refuses.
func readGIFHeader(data []byte) (header, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return header{}, err
	}
	canvas := image.Rect(0, 0, cfg.Width, cfg.Height)
	if frame, ok := gifFirstFrame(data); ok && !frame.Empty() {
		canvas = canvas.Union(frame)
	}
	return header{
		width:       canvas.Dx(),
		height:      canvas.Dy(),
		orientation: orientNormal,
		colour:      colourInfo{model: colourPalette, components: 1, bitDepth: 8, alpha: true},
		layout:      gifLayout{screen: image.Pt(cfg.Width, cfg.Height)},
	}, nil
}

// decodeGIF returns the first frame of a GIF, animated or not, on the full
// logical screen: a first frame smaller than the screen is placed at its offset
// on a transparent canvas, as a viewer shows it, and one reaching past the
// screen grows the canvas to hold it. Later frames are never decoded.
func decodeGIF(data []byte, h *header, _, _ int, budget int64) (image.Image, error) {
	if need := gifBytesPerPixel * int64(h.width) * int64(h.height); need > budget {
		return nil, overBudget(GIF, h.width, h.height, h.layout.kind(), need, budget)
	}
	if h.width > 0xFFFF || h.height > 0xFFFF {
		return nil, tooLarge("gif first frame reaches %dx%d, past the largest screen a GIF can declare", h.width, h.height)
	}
	if l, ok := h.layout.(gifLayout); ok && l.screen != image.Pt(h.width, h.height) {
		data = withScreen(data, h.width, h.height)
	}
	frame, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	screen := image.Rect(0, 0, h.width, h.height)
	if frame.Bounds() == screen {
		return frame, nil
	}
	canvas := image.NewNRGBA(screen)
	draw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return canvas, nil
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
