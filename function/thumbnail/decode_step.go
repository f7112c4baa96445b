package thumbnail

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
