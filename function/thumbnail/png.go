package thumbnail

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/pngstream"
)

// pngCodec reads PNG streamed row by row and shrunk (internal/pngstream),
// else with image/png, and writes it with image/png.
var pngCodec = &codec{
	format:     PNG,
	mime:       "image/png",
	extensions: []string{".png"},
	signatures: []signature{{"\x89PNG\r\n\x1A\n", "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"}},
	readHeader: readPNGHeader,
	decode:     decodePNG,
	encode:     encodePNG,
}

// maxDeflateRatio is the most bytes one byte of deflate data inflates to: a
// match of 258 bytes coded in two bits.
const maxDeflateRatio = 1032

// pngLayout is what the chunks of a PNG declare, from pngstream's one walk.
type pngLayout struct{ pngstream.Header }

// readPNGHeader checks the header with image/png, the reference for what is
// valid, and walks the chunks once for everything else.
func readPNGHeader(data []byte) (header, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return header{}, err
	}
	l := pngLayout{pngstream.ReadHeader(data)}
	h := header{
		width:       cfg.Width,
		height:      cfg.Height,
		orientation: exifOrientation(l.Exif),
		icc:         l.iccProfile(),
		colour:      l.colour(),
	}
	l.Exif, l.ICCData = nil, nil // the job keeps the header, not the source
	h.layout = l
	return h, nil
}

// iccProfile is the iCCP chunk's profile, still compressed.
func (l pngLayout) iccProfile() iccProfile {
	if l.ICCMalformed && l.ICCData == nil {
		return iccProfile{err: errors.New("iCCP chunk without a name and compression method 0")}
	}
	return iccProfile{data: copyICC(l.ICCData), compressed: l.ICCData != nil, name: l.ICCName}
}

// colour names the colour type.
func (l pngLayout) colour() colourInfo {
	c := colourInfo{
		components:     int(l.samples()),
		bitDepth:       int(l.Depth),
		alpha:          l.ColorType == 4 || l.ColorType == 6 || l.Transparency,
		sRGB:           l.SRGB,
		gamma:          l.Gamma,
		chromaticities: l.Chromaticities,
	}
	if l.GammaValue > 0 {
		c.decodingGamma = 100000 / float64(l.GammaValue)
	}
	if l.Chromaticities && l.ChromaticityValues != [8]uint32{} {
		for k, v := range l.ChromaticityValues {
			c.whiteAndPrimaries[k] = float64(v) / 100000
		}
	}
	switch l.ColorType {
	case 0, 4:
		c.model = colourGrey
	case 3:
		c.model = colourPalette
	default:
		c.model = colourRGB
	}
	return c
}

// decodePNG decodes a PNG row by row into a box filter, shrinking it by the
// largest whole factor that keeps both sides at least twice the target,
// without holding the full-size image. A file the streamed decoder does not
// handle or rejects is read by image/png at full size, unless that would take
// more than the decode budget.
func decodePNG(data []byte, h *header, targetW, targetH int, budget int64) (image.Image, error) {
	l := h.layout.(pngLayout)
	if l.dataTooShort() {
		return nil, corrupt("png %dx%d: %d bytes of image data cannot inflate to the %d bytes of rows it declares",
			h.width, h.height, l.DataBytes, l.rawBytes())
	}
	k := pngstream.Factor(h.width, h.height, targetW, targetH)
	need := l.fullSizeBytes()
	if need <= budget {
		return pngstream.Decode(data, k)
	}
	if k == 1 || !l.Streams() {
		return nil, overBudget(PNG, h.width, h.height, l.kind(), need, budget)
	}
	// Shrunk by k >= 2, the image and the rows held take at most a quarter
	// of what the full size would in RGBA, within the budget.
	return pngstream.DecodeShrunk(data, k)
}

// encodePNG writes 8-bit PNG, keeping alpha; fully opaque images come out as RGB.
func encodePNG(w *bytes.Buffer, img *image.NRGBA, _ Options) error {
	return png.Encode(w, img)
}

// samples is the number of samples a pixel of the colour type has.
func (l pngLayout) samples() int64 {
	switch l.ColorType {
	case 2:
		return 3
	case 4:
		return 2
	case 6:
		return 4
	}
	return 1 // grey, palette
}

// rawBytes is the length of the filtered scanlines the header implies: a
// filter byte and the packed samples of each row of each Adam7 pass, or of
// each row of the image when it is not interlaced.
func (l pngLayout) rawBytes() int64 {
	row := func(w int64) int64 { return 1 + (w*l.samples()*int64(l.Depth)+7)/8 }
	if !l.Interlaced {
		return l.Height * row(l.Width)
	}
	var n int64
	for _, p := range [7]struct{ x, y, dx, dy int64 }{
		{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
	} {
		w, h := (l.Width-p.x+p.dx-1)/p.dx, (l.Height-p.y+p.dy-1)/p.dy
		if w > 0 && h > 0 {
			n += h * row(w)
		}
	}
	return n
}

// dataTooShort reports whether the image data present cannot inflate to the
// scanlines the header declares, whatever it holds: the file is cut short.
func (l pngLayout) dataTooShort() bool {
	return l.DataBytes*maxDeflateRatio < l.rawBytes()
}

// fullSizeBytes is what image/png allocates for the whole image, with the
// resizer's RGBA copy of a paletted one. An interlaced image is decoded pass
// by pass into images of their own before being merged: twice the pixels.
func (l pngLayout) fullSizeBytes() int64 {
	px := l.Width * l.Height
	var perPixel int64 = 4 // NRGBA or RGBA
	switch {
	case l.ColorType == 3:
		perPixel = 1 // Paletted
	case l.Depth == 16 && l.ColorType == 0 && !l.Transparency:
		perPixel = 2 // Gray16
	case l.Depth == 16:
		perPixel = 8 // NRGBA64 or RGBA64
	case l.ColorType == 0 && !l.Transparency:
		perPixel = 1 // Gray
	}
	n := px * perPixel
	if l.Interlaced {
		n *= 2
	}
	if l.ColorType == 3 {
		n += 4 * px
	}
	return n
}

// kind names the colour type and depth in messages.
func (l pngLayout) kind() string {
	names := map[byte]string{0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA"}
	s := fmt.Sprintf("%d-bit %s", l.Depth, names[l.ColorType])
	if l.Interlaced {
		s += " interlaced"
	}
	return s
}
