package testimage

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os/exec"
)

// JPEGQuality is the quality of the benchmark JPEGs, a camera's usual setting.
const JPEGQuality = 90

// JPEG encodes img as a baseline 4:2:0 JPEG at JPEGQuality.
func JPEG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return nil, fmt.Errorf("encode JPEG: %w", err)
	}
	return b.Bytes(), nil
}

// Progressive rewrites a JPEG as progressive, losslessly, with jpegtran from
// libjpeg-turbo (Debian package libjpeg-turbo-progs): no Go encoder writes
// progressive JPEG. `make bench` installs it when it is missing.
func Progressive(baseline []byte) ([]byte, error) {
	path, err := exec.LookPath("jpegtran")
	if err != nil {
		return nil, fmt.Errorf("progressive JPEG needs jpegtran (apt-get install libjpeg-turbo-progs): %w", err)
	}
	cmd := exec.Command(path, "-progressive", "-copy", "none")
	cmd.Stdin = bytes.NewReader(baseline)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("jpegtran -progressive: %w: %s", err, stderr.String())
	}
	return out.Bytes(), nil
}

// PNG encodes img as an 8-bit PNG with the default compression. An opaque
// *image.RGBA becomes an RGB PNG.
func PNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return b.Bytes(), nil
}
