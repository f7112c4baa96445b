package testimage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// PhoneSources are the phone formats' benchmark inputs: the 12 MP photo as
// HEIC and as AVIF at quality 60, written by heif-enc (Debian package
// libheif-examples: libheif with x265 and aom) from its PNG. They are kept
// apart from Sources, which the libvips comparison reads.
var PhoneSources = []Source{
	{Name: "heic-12mp", Ext: ".heic", Width: 4000, Height: 3000},
	{Name: "avif-12mp", Ext: ".avif", Width: 4000, Height: 3000},
}

// encodeHEIF writes the photo as PNG and has heif-enc encode it (x265 takes
// about 30 s of CPU for 12 MP; aom at speed 9 about 2 s).
func encodeHEIF(s Source) ([]byte, error) {
	if _, err := exec.LookPath("heif-enc"); err != nil {
		return nil, fmt.Errorf("%s needs heif-enc: apt-get install libheif-examples", s.Name)
	}
	dir, err := os.MkdirTemp("", "testimage")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	png, err := PNG(Photo(s.Width, s.Height))
	if err != nil {
		return nil, err
	}
	in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out"+s.Ext)
	if err := os.WriteFile(in, png, 0o644); err != nil {
		return nil, err
	}
	args := []string{"-q", "60", "-o", out, in}
	if s.Ext == ".avif" {
		args = append([]string{"-A", "-p", "speed=9"}, args...)
	}
	if msg, err := exec.Command("heif-enc", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("heif-enc: %v: %s", err, msg)
	}
	return os.ReadFile(out)
}
