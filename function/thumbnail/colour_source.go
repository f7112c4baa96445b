package thumbnail

// colourSourceOf gathers what the source's header says about its colour
// space: the embedded ICC profile (inflated when compressed), and PNG's
// sRGB, gAMA and cHRM chunks.
func colourSourceOf(j *job) colourSource {
	var src colourSource
	src.profile, src.profileErr = j.iccProfile()
	c := j.header.colour
	src.pngSRGB = c.sRGB
	src.pngGamma = c.decodingGamma
	if c.chromaticities && c.whiteAndPrimaries != [8]float64{} {
		wp := c.whiteAndPrimaries
		src.pngChrm = &wp
	}
	return src
}
