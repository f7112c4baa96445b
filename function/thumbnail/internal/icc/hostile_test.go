package icc

import (
	"encoding/binary"
	"errors"
	"image"
	"runtime"
	"strings"
	"testing"
)

// patch returns a copy of b with v written big-endian at off.
func patch(b []byte, off int, v uint32) []byte {
	c := append([]byte(nil), b...)
	binary.BigEndian.PutUint32(c[off:], v)
	return c
}

// tagOffset returns the offset of tag sig's data in profile b.
func tagOffset(t *testing.T, b []byte, sig string) int {
	n := int(binary.BigEndian.Uint32(b[128:]))
	for i := range n {
		e := b[132+12*i:]
		if string(e[:4]) == sig {
			return int(binary.BigEndian.Uint32(e[4:]))
		}
	}
	t.Fatalf("no %s tag", sig)
	return 0
}

// TestHostileProfiles feeds profiles that declare more than they hold, or
// more than the limits allow: each must give an error (or a usable
// transform), allocate little and never panic.
func TestHostileProfiles(t *testing.T) {
	p3 := displayP3()
	lut := lutProfiles()
	cmyk := lut[5].data // cmyk-mAB-Lab
	mft := lut[2].data  // p3-mft2-Lab
	a2b := tagOffset(t, cmyk, "A2B0")
	mftAt := tagOffset(t, mft, "A2B0")
	rTRC := tagOffset(t, p3, "rTRC")
	gridAt := a2b + int(binary.BigEndian.Uint32(cmyk[a2b+24:]))
	huge := func(b []byte, off int) []byte {
		c := append([]byte(nil), b...)
		copy(c[off:], []byte{255, 255, 255, 255})
		return c
	}
	cases := []struct {
		name string
		data []byte
		want string // part of the error; "" for a profile that still works
	}{
		{"empty", nil, "shorter than its header"},
		{"no signature", patch(p3, 36, 0), "acsp"},
		{"over the size limit", make([]byte, MaxProfileBytes+1), "limit"},
		{"tag count 2^32-1", patch(p3, 128, 0xFFFFFFFF), "tags, limit"},
		{"tag table past the end", patch(p3, 128, 90), "runs past"},
		{"tag offset wraps around", patch(patch(p3, 132+12*6+4, 0xFFFFFFF0), 132+12*6+8, 0x20), "missing rTRC"},
		{"declared size smaller than the tags", patch(p3, 0, 200), "runs past"},
		{"curv of 2^32-1 entries", patch(patch(p3, rTRC, 0x63757276), rTRC+8, 0xFFFFFFFF), "limit"},
		{"para type 9", patch(p3, rTRC+8, 9<<16), "para function type"},
		{"para type 1 with a = 0", patch(patch(p3, rTRC+8, 1<<16), rTRC+16, 0), "a = 0"},
		{"CLUT grid 255^4", huge(cmyk, gridAt), "lookup table of more than"},
		{"CLUT grid of 1 point", patch(cmyk, gridAt, 0x01090909), "1 grid points"},
		{"mAB offset past the tag", patch(cmyk, a2b+24, 0x7FFFFFFF), "runs past"},
		{"mAB precision 7", patch(cmyk, gridAt+16, 0x07000000), "precision"},
		{"lut16 entries 65535", patch(mft, mftAt+48, 0xFFFFFFFF), "past the end"},
		{"lut16 grid 255", patch(mft, mftAt+8, 0x0303ff00), "lookup table"},
		{"lut16 for a CMYK table", patch(mft, mftAt+8, 0x04031100), "inputs"},
		{"device link", append(append(append([]byte(nil), p3[:12]...), "link"...), p3[16:]...), "unsupported"},
		{"Lab device space", append(append(append([]byte(nil), p3[:16]...), "Lab "...), p3[20:]...), "unsupported"},
		{"singular colorants", patch(patch(patch(p3, tagOffset(t, p3, "rXYZ")+8, 0), tagOffset(t, p3, "rXYZ")+12, 0), tagOffset(t, p3, "rXYZ")+16, 0), "singular"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := parseAndConvert(c.data)
			runtime.ReadMemStats(&after)
			if c.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want a working transform", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 && len(c.data) <= MaxProfileBytes {
				t.Errorf("allocated %d MiB", grew>>20)
			}
		})
	}
}

// TestUnsupportedIsTyped checks callers can tell an unsupported profile
// from a broken one.
func TestUnsupportedIsTyped(t *testing.T) {
	p3 := displayP3()
	link := append(append(append([]byte(nil), p3[:12]...), "link"...), p3[16:]...)
	p, err := Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTransform(p); !errors.Is(err, ErrUnsupported) {
		t.Errorf("device link: err = %v, want ErrUnsupported", err)
	}
	var fe FormatError
	if _, err := Parse(p3[:100]); !errors.As(err, &fe) {
		t.Errorf("truncated: err = %v, want a FormatError", err)
	}
}

// parseAndConvert runs everything a caller does with a profile: parse, name,
// build the transform and convert a small image of its space.
func parseAndConvert(data []byte) error {
	p, err := Parse(data)
	if err != nil {
		return err
	}
	_ = p.Name()
	tr, err := NewTransform(p)
	if err != nil {
		return err
	}
	r := image.Rect(0, 0, 7, 3)
	var img image.Image
	switch tr.Channels() {
	case 1:
		img = image.NewGray(r)
	case 4:
		img = image.NewCMYK(r)
	default:
		img = image.NewNRGBA(r)
	}
	for _, pix := range [][]uint8{pixOf(img)} {
		for i := range pix {
			pix[i] = uint8(i * 37)
		}
	}
	_, err = tr.Convert(img)
	return err
}

// pixOf returns the pixel bytes of the image types parseAndConvert makes.
func pixOf(img image.Image) []uint8 {
	switch m := img.(type) {
	case *image.Gray:
		return m.Pix
	case *image.CMYK:
		return m.Pix
	case *image.NRGBA:
		return m.Pix
	}
	return nil
}
