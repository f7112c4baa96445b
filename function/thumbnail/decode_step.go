package thumbnail

import (
	"errors"
	"image/jpeg"
	"image/png"
)

// decode decodes the pixels, telling the format's decoder how small it may go
// for the thumbnail asked for.
func decode(j *job) error {
	h := &j.header
	boxW, boxH := storedBox(j.opts.Width, j.opts.Height, h.orientation)
	targetW, targetH := planFor(h.width, h.height, boxW, boxH, j.opts.Mode).decodeTarget(h.width, h.height)
	img, err := codecOf(j.format).decode(j.data, h, targetW, targetH, j.opts.Limits.decodeBudget())
	if IsPermanent(err) {
		return err
	}
	if isDecoderUnsupported(err) {
		return unsupported("%s data: %v", j.format, err)
	}
	if err != nil {
		return corrupt("%s data: %v", j.format, err)
	}
	b := img.Bounds()
	if b.Empty() || b.Dx() > h.width || b.Dy() > h.height {
		return corrupt("%s data decodes to %dx%d, header declares %dx%d", j.format, b.Dx(), b.Dy(), h.width, h.height)
	}
	j.decoded = img
	j.data = nil // the source bytes are no longer needed; let them go before resizing
	return nil
}

// isDecoderUnsupported reports a standard decoder's refusal of a valid
// feature it does not implement (12-bit or arithmetic-coded JPEG, a chroma
// layout image/jpeg lacks, ...), which is not damage: the file is
// unsupported, not corrupt.
func isDecoderUnsupported(err error) bool {
	var j jpeg.UnsupportedError
	var p png.UnsupportedError
	return errors.As(err, &j) || errors.As(err, &p)
}
