package testimage

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrRefused is Dwebp's error for a file libwebp will not decode.
var ErrRefused = errors.New("dwebp refuses the file")

// Dwebp decodes a WebP with libwebp's own decoder, dwebp (Debian package
// webp), the reference for WebP pixels, into non-premultiplied RGBA. A file
// dwebp refuses gives ErrRefused; a machine without dwebp another error.
func Dwebp(data []byte) (*image.NRGBA, error) {
	if _, err := exec.LookPath("dwebp"); err != nil {
		return nil, fmt.Errorf("dwebp not found (apt-get install webp): %w", err)
	}
	dir, err := os.MkdirTemp("", "dwebp")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.webp"), filepath.Join(dir, "out.pam")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		return nil, err
	}
	if msg, err := exec.Command("dwebp", "-quiet", in, "-pam", "-o", out).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w: %v: %s", ErrRefused, err, strings.TrimSpace(string(msg)))
	}
	img, err := ReadNetpbm(out)
	if err != nil {
		return nil, err
	}
	rgba, ok := img.(*image.NRGBA)
	if !ok {
		return nil, fmt.Errorf("dwebp -pam wrote %T, want RGB_ALPHA", img)
	}
	return rgba, nil
}

// Cwebp encodes img with libwebp's encoder, cwebp (Debian package webp),
// given args such as "-q", "90" or "-lossless", and returns the WebP.
func Cwebp(img image.Image, args ...string) ([]byte, error) {
	if _, err := exec.LookPath("cwebp"); err != nil {
		return nil, fmt.Errorf("cwebp not found (apt-get install webp): %w", err)
	}
	dir, err := os.MkdirTemp("", "cwebp")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src, err := PNG(img)
	if err != nil {
		return nil, err
	}
	in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.webp")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		return nil, err
	}
	if msg, err := exec.Command("cwebp", append(append([]string{"-quiet"}, args...), in, "-o", out)...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("cwebp %v: %v: %s", args, err, strings.TrimSpace(string(msg)))
	}
	return os.ReadFile(out)
}

// ReadGzip reads a gzipped file whole, such as a large crafted input
// committed compressed.
func ReadGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}

// ReadNetpbm reads the 8-bit Netpbm files reference decoders write: P5
// (grey, djpeg) as *image.Gray, P6 (RGB, dwebp -ppm) as an opaque
// *image.RGBA, P7 RGB_ALPHA (dwebp -pam) as *image.NRGBA.
func ReadNetpbm(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var magic string
	if _, err := fmt.Fscan(r, &magic); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if magic == "P7" {
		return readPAM(r, path)
	}
	var w, h, maxVal int
	if _, err := fmt.Fscan(r, &w, &h, &maxVal); err != nil || maxVal != 255 || (magic != "P5" && magic != "P6") {
		return nil, fmt.Errorf("%s: not an 8-bit PGM or PPM (%s, maxval %d): %v", path, magic, maxVal, err)
	}
	if _, err := r.ReadByte(); err != nil { // the one whitespace byte after the header
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if magic == "P5" {
		img := image.NewGray(image.Rect(0, 0, w, h))
		if _, err := io.ReadFull(r, img.Pix); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		return img, nil
	}
	rgb := make([]byte, 3*w*h)
	if _, err := io.ReadFull(r, rgb); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		copy(img.Pix[4*i:], rgb[3*i:3*i+3])
		img.Pix[4*i+3] = 255
	}
	return img, nil
}

// readPAM reads the rest of a P7 file of tuple type RGB_ALPHA.
func readPAM(r *bufio.Reader, path string) (image.Image, error) {
	w, h := 0, 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("%s: PAM header: %v", path, err)
		}
		line = strings.TrimSpace(line)
		if line == "ENDHDR" {
			break
		}
		var v int
		if _, err := fmt.Sscanf(line, "WIDTH %d", &v); err == nil {
			w = v
		} else if _, err := fmt.Sscanf(line, "HEIGHT %d", &v); err == nil {
			h = v
		} else if line != "" && line != "DEPTH 4" && line != "MAXVAL 255" && line != "TUPLTYPE RGB_ALPHA" {
			return nil, fmt.Errorf("%s: PAM header line %q", path, line)
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	if _, err := io.ReadFull(r, img.Pix); err != nil {
		return nil, fmt.Errorf("%s: PAM pixels: %v", path, err)
	}
	return img, nil
}
