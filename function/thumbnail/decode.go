package thumbnail

// decode decodes the pixels, telling the format's decoder how small it may go
// for the thumbnail asked for.
func decode(j *job) error {
	boxW, boxH := storedBox(j.opts.Width, j.opts.Height, j.orientation)
	targetW, targetH := planFor(j.width, j.height, boxW, boxH, j.opts.Mode).decodeTarget(j.width, j.height)
	img, err := decoders[j.format].decode(j.data, targetW, targetH, j.opts.Limits.decodeBudget())
	if IsPermanent(err) {
		return err
	}
	if err != nil {
		return corrupt("%s data: %v", j.format, err)
	}
	b := img.Bounds()
	if b.Empty() || b.Dx() > j.width || b.Dy() > j.height {
		return corrupt("%s data decodes to %dx%d, header declares %dx%d", j.format, b.Dx(), b.Dy(), j.width, j.height)
	}
	j.decoded = img
	j.losslessSource = j.format == GIF || j.format == WebP && readWebPLayout(j.data).lossless
	j.data = nil // the source bytes are no longer needed; let them go before resizing
	return nil
}
