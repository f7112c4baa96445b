package thumbnail

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/scaledjpeg"
)

// jpegCodec reads JPEG at 1/2, 1/4 or 1/8 scale when the thumbnail allows
// (internal/scaledjpeg), else with image/jpeg, and writes it with image/jpeg.
var jpegCodec = &codec{
	format:     JPEG,
	mime:       "image/jpeg",
	extensions: []string{".jpg", ".jpeg", ".jpe", ".jfif"},
	signatures: []signature{{"\xFF\xD8\xFF", "\xFF\xFF\xFF"}},
	readHeader: readJPEGHeader,
	decode:     decodeJPEG,
	encode:     encodeJPEG,
}

// jpegLayout is what the markers of a JPEG declare, from scaledjpeg's one walk.
type jpegLayout struct{ scaledjpeg.Header }

// readJPEGHeader checks the header with image/jpeg, the reference for what
// is valid, and walks the markers once for everything else.
func readJPEGHeader(data []byte) (header, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return header{}, err
	}
	l := jpegLayout{scaledjpeg.ReadHeader(data)}
	profile, profileErr := l.ICCProfile()
	h := header{
		width:       cfg.Width,
		height:      cfg.Height,
		orientation: exifOrientation(l.Exif),
		icc:         iccProfile{data: profile, err: profileErr},
		colour:      l.colour(),
	}
	l.ForgetMetadata() // the job keeps the header, not the source
	h.layout = l
	return h, nil
}

// colour names the colour model as image/jpeg decodes it.
func (l jpegLayout) colour() colourInfo {
	c := colourInfo{components: len(l.Components), bitDepth: l.Precision}
	switch {
	case len(l.Components) == 1:
		c.model = colourGrey
	case len(l.Components) == 4 && l.Adobe && l.AdobeTransform != 0:
		c.model = colourYCCK // transform 1 too, as image/jpeg and libjpeg take it
	case len(l.Components) == 4:
		c.model = colourCMYK
	case l.RGB():
		c.model = colourRGB
	default:
		c.model = colourYCbCr
	}
	return c
}

// Full-size decodes standing in for a 1/2 or 1/4 one: jpegn gets RGB and
// CMYK files wrong, so at those scales image/jpeg reads them whole, which
// costs about 0.1 µs of CPU a pixel and a second per 13 MB of data
// (BenchmarkDecodeColourKinds). Files over either bound, such as a
// 12000x1500 RGB panorama the default box reads at 1/4 (1.7 s in
// image/jpeg), get the 1/8 DC-only image instead (0.14 s): under half a
// second of CPU either way.
const (
	maxColourFullSizePixels = 4 << 20
	maxColourFullSizeBytes  = 4 << 20
)

// decodeJPEG decodes a JPEG at 1/2, 1/4 or 1/8 scale when the thumbnail
// allows: the largest reduction that keeps both sides at least twice the
// target, so the resizer still has detail to filter from. A file the scaled
// decoders do not handle or reject is read by image/jpeg at full size, unless
// that would take more than the decode budget. RGB and CMYK files are read
// at 1/8 from their DC coefficients; at 1/2 and 1/4, by image/jpeg at full
// size when that fits the budget and the bounds above, else at 1/8 too.
func decodeJPEG(data []byte, h *header, targetW, targetH int, budget int64) (image.Image, error) {
	l := h.layout.(jpegLayout)
	if l.Scans > maxJPEGScans {
		return nil, tooLarge("jpeg has %d scans, limit %d", l.Scans, maxJPEGScans)
	}
	denom := 1
	if l.Scales() {
		denom = scaledjpeg.Denom(h.width, h.height, targetW, targetH)
	}
	need := l.bytesAt(denom)
	scaledOnly := denom != 1 && l.bytesAt(1) > budget
	if (denom == 2 || denom == 4) && !l.ReducedScales() &&
		(need > budget || int64(l.Width)*int64(l.Height) > maxColourFullSizePixels || len(data) > maxColourFullSizeBytes) {
		// image/jpeg's full-size picture does not fit or costs too
		// much: the DC-only one stands in.
		need, scaledOnly = l.bytesAt(8), true
	}
	if need > budget {
		return nil, overBudget(JPEG, h.width, h.height, l.kind(), need, budget)
	}
	if scaledOnly {
		return scaledjpeg.DecodeScaled(data, l.Header, denom)
	}
	return scaledjpeg.Decode(data, l.Header, denom)
}

// encodeJPEG flattens any transparency onto white (JPEG has no alpha) and
// writes at Options.Quality.
func encodeJPEG(w *bytes.Buffer, img *image.NRGBA, o Options) error {
	return jpeg.Encode(w, onWhite(img), &jpeg.Options{Quality: o.Quality})
}

// sampling returns the horizontal and vertical factors of each component, a
// factor of 0 counted as 1.
func (l jpegLayout) sampling() [][2]int64 {
	s := make([][2]int64, len(l.Components))
	for i, c := range l.Components {
		s[i] = [2]int64{max(1, int64(c.H)), max(1, int64(c.V))}
	}
	return s
}

// planeSamples is the number of samples of all the components, each plane
// padded to whole MCUs as the decoders allocate them.
func (l jpegLayout) planeSamples() int64 {
	width, height := int64(l.Width), int64(l.Height)
	sampling := l.sampling()
	if len(sampling) == 1 { // a lone component is coded block by block
		return ((width + 7) / 8 * 8) * ((height + 7) / 8 * 8)
	}
	var hMax, vMax int64 = 1, 1
	for _, s := range sampling {
		hMax, vMax = max(hMax, s[0]), max(vMax, s[1])
	}
	mcusX, mcusY := (width+8*hMax-1)/(8*hMax), (height+8*vMax-1)/(8*vMax)
	var n int64
	for _, s := range sampling {
		n += mcusX * s[0] * 8 * mcusY * s[1] * 8
	}
	return n
}

// bytesAt is what decoding at 1/denom allocates.
//   - 1: image/jpeg holds every sample, and for a progressive file every
//     coefficient too (a 32-bit one per sample); it converts CMYK and RGB
//     into a new image, which for CMYK the resizer copies once more to RGBA.
//     RGB is told from YCbCr by the same rule the decoders use (Header.RGB).
//   - 2 and 4: jpegn holds the scaled samples, twice over while it converts
//     them, and for a progressive file every coefficient of the full image.
//     RGB and CMYK, which jpegn gets wrong, are read by the DC-only decoder
//     then image/jpeg at full size: the sum of the two (decodeJPEG falls
//     back to 1/8 alone when that is over the budget).
//   - 8: the DC-only decoder holds one coefficient per block and the scaled
//     samples (for CMYK, also the resizer's RGBA copy of them);
//     planeSamples/8 covers all.
func (l jpegLayout) bytesAt(denom int) int64 {
	samples := l.planeSamples()
	var coefficients int64
	if l.Progressive() {
		coefficients = 4 * samples
	}
	switch denom {
	case 8:
		return samples / 8
	case 2, 4:
		if !l.ReducedScales() {
			return l.bytesAt(1) + l.bytesAt(8)
		}
		return coefficients + 2*samples/int64(denom*denom)
	}
	px := int64(l.Width) * int64(l.Height)
	n := samples + coefficients
	switch {
	case len(l.Components) == 4:
		n += 8 * px
	case l.RGB():
		n += 4 * px
	}
	return n
}

// kind names the frame in messages.
func (l jpegLayout) kind() string {
	s := "baseline"
	if l.Progressive() {
		s = "progressive"
	}
	return fmt.Sprintf("%s, %d components", s, len(l.Components))
}
