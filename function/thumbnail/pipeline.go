package thumbnail

import (
	"image"
	"io"
)

// job carries one source through the pipeline. Each step reads what the
// steps before it filled in and adds its own part.
type job struct {
	src  io.Reader
	opts Options

	data   []byte // the whole source, at most Limits.MaxBytes
	format Format // sniffed from data
	// header is the source's header, read once by its format: stored size,
	// EXIF orientation, embedded ICC profile (see iccProfile), colour model
	// and the figures the decode budget needs.
	header    header
	colour    colourPlan // conversion to sRGB, planned from the header
	decoded   image.Image
	thumb     *image.NRGBA // resized, then oriented
	out       []byte       // encoded thumbnail
	outFormat Format
}

// readHeader reads the source's header with its format, once: every later
// step works from what it found.
func readHeader(j *job) error {
	h, err := codecOf(j.format).readHeader(j.data)
	if err != nil {
		if IsPermanent(err) {
			return err
		}
		if isDecoderUnsupported(err) {
			return unsupported("%s header: %v", j.format, err)
		}
		return corrupt("%s header: %v", j.format, err)
	}
	j.header = h
	return nil
}

// iccProfile returns the source's embedded ICC profile, nil when it has
// none: for a colour step, after the header step.
func (j *job) iccProfile() ([]byte, error) { return j.header.icc.profile() }

// step is one stage of the pipeline.
type step struct {
	name string
	run  func(*job) error
}

// pipeline lists the stages in order. Orientation is applied after resizing:
// turning the small thumbnail moves Width x Height pixels instead of the whole
// source, and the box is turned to match before resizing so the result is the
// same as turning first.
var pipeline = append([]step{{"read", readSource}}, inMemory...)

// inMemory is the pipeline once the whole source is in memory; MakeBytes
// starts here.
var inMemory = []step{
	{"sniff", sniff},
	{"header", readHeader},
	{"limits", checkLimits},
	{"colour-plan", planSourceColour},
	{"decode", decode},
	{"colour-decoded", colourDecoded},
	{"resize", resizeToBox},
	{"colour-thumb", colourThumb},
	{"orient", applyOrientation},
	{"encode", encode},
}

// run runs steps in order and stops at the first error. A panic in any step,
// which in practice means a decoder choking on hostile bytes, becomes ErrCorrupt.
func (j *job) run(steps []step) error {
	for _, s := range steps {
		if err := j.runStep(s); err != nil {
			return err
		}
	}
	return nil
}

// runStep runs one step, turning its panic into an error.
func (j *job) runStep(s step) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = corrupt("%s %s step failed: panic: %v", j.formatName(), s.name, p)
		}
	}()
	return s.run(j)
}

// formatName names the source format in messages, "input" before it is known.
func (j *job) formatName() string {
	if j.format == "" {
		return "input"
	}
	return string(j.format)
}

// result describes the finished thumbnail.
func (j *job) result() *Result {
	b := j.thumb.Bounds()
	return &Result{
		Data:         j.out,
		Format:       j.outFormat,
		Width:        b.Dx(),
		Height:       b.Dy(),
		SourceFormat: j.format,
		SourceWidth:  j.header.width,
		SourceHeight: j.header.height,
		Orientation:  j.header.orientation,

		SourceProfile:  j.colour.name,
		ColourFallback: j.colour.fallback,
	}
}
