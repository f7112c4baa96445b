package thumbnail

import (
	"bytes"
	"image"
)

// codec is everything the pipeline knows about one image format. Each format
// lives in a file of its own (jpeg.go, png.go, gif.go, webp.go) that defines
// its codec; adding a format means adding such a file and a row to codecs.
// The pipeline never parses bytes itself: it asks the format.
type codec struct {
	format Format
	// mime is the format's MIME type.
	mime string
	// extensions name files of the format, lower case with the dot; the
	// first is the usual one.
	extensions []string
	// signatures recognise the format from its first bytes.
	signatures []signature
	// sniff, when set, recognises the format where a fixed prefix cannot
	// (HEIF: the brands of an ftyp box); tried after every signature.
	sniff func(data []byte) bool
	// readHeader checks the header and walks the container once, returning
	// everything the later steps need. An error means the header is corrupt.
	readHeader func(data []byte) (header, error)
	// decode decodes the pixels of data, whose header h is, at no less than
	// targetW x targetH when the format can decode smaller (a scaled decode,
	// such as JPEG at 1/2, 1/4 or 1/8), else at the stored size; the target
	// is in stored orientation. It never starts a decode estimated to
	// allocate more than budget bytes: it returns an ErrTooLarge *Error
	// instead. An *Error it returns, a refusal read from the headers, is
	// final; any other error means the data is corrupt.
	decode func(data []byte, h *header, targetW, targetH int, budget int64) (image.Image, error)
	// encode writes a thumbnail in the format; nil when it cannot.
	encode func(w *bytes.Buffer, img *image.NRGBA, o Options) error
}

// codecs are the formats the pipeline reads, in the order sniff tries their
// signatures. A faster decoder for one format replaces its decode here.
var codecs = []*codec{jpegCodec, pngCodec, gifCodec, webpCodec, heicCodec, avifCodec}

// codecOf returns the codec of f, nil when f is not a format the pipeline knows.
func codecOf(f Format) *codec {
	for _, c := range codecs {
		if c.format == f {
			return c
		}
	}
	return nil
}

// header is what one walk of a source's container yields: everything the
// pipeline needs before and while decoding. The format fills it once per
// image (codec.readHeader); no step reads the header bytes again.
type header struct {
	// width and height are the stored size, before orientation.
	width, height int
	// orientation is the EXIF orientation, 1-8 (1 when absent or unreadable).
	orientation int
	// icc is the embedded ICC profile, as stored; empty when there is none.
	icc iccProfile
	// colour is how the source stores colour.
	colour colourInfo
	// layout is the format's own reading of the header, which its decode
	// uses for the memory estimate and the choice of decoder.
	layout layout
}

// layout is a format's own header figures (jpegLayout, pngLayout, ...).
type layout interface {
	// kind names the variant of the format in messages ("progressive, 3
	// components", "8-bit RGBA", ...).
	kind() string
}

// colourModel names how a source stores its colours.
type colourModel string

// Colour models of the formats read.
const (
	colourGrey    colourModel = "grey"
	colourRGB     colourModel = "RGB"
	colourYCbCr   colourModel = "YCbCr"
	colourCMYK    colourModel = "CMYK"
	colourYCCK    colourModel = "YCCK"
	colourPalette colourModel = "palette"
)

// colourInfo is how a source stores colour, read from its header; a colour
// step needs it to pick the conversion from the source's space to sRGB.
type colourInfo struct {
	model colourModel
	// components is the number of stored colour components, alpha included.
	components int
	// bitDepth is the bits per sample (per index for a palette).
	bitDepth int
	// alpha is whether the source may hold transparency.
	alpha bool
	// sRGB, gamma and chromaticities note PNG's sRGB, gAMA and cHRM chunks,
	// which describe the colour space when there is no ICC profile.
	sRGB, gamma, chromaticities bool
	// decodingGamma is gAMA's value as the exponent that decodes the stored
	// values (2.2 for the stored 1/2.2), 0 when absent; whiteAndPrimaries is
	// cHRM's white, red, green and blue x and y, zero when absent.
	decodingGamma     float64
	whiteAndPrimaries [8]float64
}
