package thumbnail

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// testProfile stands in for an ICC profile: the header step carries the
// bytes, it does not interpret them.
var testProfile = bytes.Repeat([]byte("icc profile bytes "), 500) // 9,000 bytes

// realProfile marks a source whose writer embedded a profile of its own.
var realProfile = []byte("a real writer's profile")

// zlibOf compresses b as PNG's iCCP chunk stores a profile.
func zlibOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// jpegWithICC inserts profile, split into APP2 segments of at most part
// bytes in reverse order, right after the SOI marker.
func jpegWithICC(jpg, profile []byte, part int) []byte {
	var parts [][]byte
	for p := profile; len(p) > 0; p = p[min(part, len(p)):] {
		parts = append(parts, p[:min(part, len(p))])
	}
	out := append([]byte{}, jpg[:2]...)
	for i := len(parts) - 1; i >= 0; i-- {
		payload := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(len(parts)))
		out = append(out, jpegSegment(0xE2, append(payload, parts[i]...))...)
	}
	return append(out, jpg[2:]...)
}

// pngWithChunk inserts a chunk right after IHDR.
func pngWithChunk(pngData []byte, kind string, data []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	var b bytes.Buffer
	b.Write(pngData[:ihdrEnd])
	writePNGChunk(&b, kind, data)
	b.Write(pngData[ihdrEnd:])
	return b.Bytes()
}

// withAdobeTransform returns a copy of a JPEG with an Adobe APP14 segment
// whose colour transform byte is set to transform.
func withAdobeTransform(t *testing.T, data []byte, transform byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte("\xFF\xEE\x00\x0EAdobe"))
	if i < 0 {
		t.Fatal("no Adobe APP14 segment")
	}
	out := append([]byte{}, data...)
	out[i+4+11] = transform // "Adobe", version (2), flags0 (2), flags1 (2), transform
	return out
}

// TestHeaderOfEachFormat checks what each format's one header walk yields on
// real files: the stored size, the orientation, the embedded ICC profile
// (JPEG's reassembled from several segments, PNG's inflated from iCCP) and
// the colour model.
func TestHeaderOfEachFormat(t *testing.T) {
	iccp := append([]byte("Test profile\x00\x00"), zlibOf(t, testProfile)...)
	lossless := readTestdata(t, "gopher-doc.with-alpha.lossless.webp")
	webpICC := riffWebP(vp8xChunk(0x20|0x10, 1, 1), append([]byte("ICCP"), testProfile...), vp8lSolidChunk(1, 1, 0))
	tests := []struct {
		name        string
		format      Format
		data        []byte
		w, h        int
		orientation int
		profile     []byte // nil: none; realProfile: a profile as a real writer stores it
		model       colourModel
	}{
		{"jpeg", JPEG, readTestdata(t, "video-001.jpeg"), 150, 103, 1, nil, colourYCbCr},
		{"jpeg with a profile in 3 segments", JPEG, jpegWithICC(readTestdata(t, "video-001.jpeg"), testProfile, 4000), 150, 103, 1, testProfile, colourYCbCr},
		{"jpeg CMYK", JPEG, readTestdata(t, "video-001.cmyk.jpeg"), 150, 103, 1, nil, colourCMYK},
		{"jpeg grey", JPEG, readTestdata(t, "video-005.gray.jpeg"), 150, 103, 1, nil, colourGrey},
		{"png", PNG, readTestdata(t, "video-001.png"), 150, 103, 1, nil, colourRGB},
		{"png with iCCP and EXIF", PNG, withPNGExif(pngWithChunk(readTestdata(t, "video-001.png"), "iCCP", iccp), 6), 150, 103, 6, testProfile, colourRGB},
		{"png palette", PNG, readTestdata(t, "basn3p08-trns.png"), 32, 32, 1, nil, colourPalette},
		{"gif", GIF, readTestdata(t, "triangle-001.gif"), 256, 128, 1, nil, colourPalette},
		{"webp lossy", WebP, readTestdata(t, "video-001.lossy.webp"), 150, 103, 1, nil, colourYCbCr},
		{"webp lossless with its writer's profile", WebP, lossless, 1, 1, 1, realProfile, colourRGB},
		{"webp with ICCP", WebP, webpICC, 1, 1, 1, testProfile, colourRGB},
		// Four components under an Adobe transform other than 0 are YCCK,
		// as image/jpeg and libjpeg decode them (transform 1 included).
		{"jpeg YCCK, Adobe transform 2", JPEG, withAdobeTransform(t, readTestdata(t, "video-001.cmyk.jpeg"), 2), 150, 103, 1, nil, colourYCCK},
		{"jpeg 4 components, Adobe transform 1", JPEG, withAdobeTransform(t, readTestdata(t, "video-001.cmyk.jpeg"), 1), 150, 103, 1, nil, colourYCCK},
	}
	tests[9].w, tests[9].h = imageSize(t, lossless)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := codecOf(tt.format).readHeader(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if h.width != tt.w || h.height != tt.h || h.orientation != tt.orientation || h.colour.model != tt.model {
				t.Errorf("header %dx%d, orientation %d, colour %s; want %dx%d, %d, %s",
					h.width, h.height, h.orientation, h.colour.model, tt.w, tt.h, tt.orientation, tt.model)
			}
			got, err := h.icc.profile()
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case bytes.Equal(tt.profile, realProfile):
				// An ICC header: the profile's size, then 'acsp' at offset 36.
				if len(got) < 128 || int(binary.BigEndian.Uint32(got)) != len(got) || string(got[36:40]) != "acsp" {
					t.Errorf("profile of %d bytes is no ICC profile", len(got))
				}
			case !bytes.Equal(got, tt.profile) || h.icc.embedded() != (tt.profile != nil):
				t.Errorf("profile of %d bytes, want %d", len(got), len(tt.profile))
			}
		})
	}
}

// imageSize is the size Make reads from a file's header.
func imageSize(t *testing.T, data []byte) (int, int) {
	t.Helper()
	r, err := Make(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.SourceWidth, r.SourceHeight
}

// TestICCProfileInflateIsBounded checks a PNG profile that inflates past the
// bound is refused without inflating all of it, and that a profile which does
// not inflate is an error for the colour step, not for the thumbnail.
func TestICCProfileInflateIsBounded(t *testing.T) {
	bomb := iccProfile{data: zlibOf(t, make([]byte, maxICCProfileBytes+1)), compressed: true, name: "bomb"}
	var err error
	if alloc := allocatedBy(func() { _, err = bomb.profile() }); alloc > 3*uint64(maxICCProfileBytes) {
		t.Errorf("allocated %d bytes for a bounded inflate of %d", alloc, maxICCProfileBytes)
	}
	if err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("err = %v, want the bound named", err)
	}
	broken := pngWithChunk(readTestdata(t, "video-001.png"), "iCCP", []byte("P\x00\x00not zlib"))
	j := &job{data: broken, format: PNG}
	if err := j.run([]step{{"header", readHeader}}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.iccProfile(); err == nil {
		t.Error("a profile that does not inflate gave no error")
	}
	if _, err := Make(bytes.NewReader(broken), Options{}); err != nil {
		t.Errorf("the thumbnail of a PNG with a broken profile: %v", err)
	}
}

// TestHeaderReadOncePerImage checks the pipeline asks each format for the
// header once, whatever the later steps need.
func TestHeaderReadOncePerImage(t *testing.T) {
	for _, name := range []string{"video-001.jpeg", "video-001.png", "triangle-001.gif", "video-001.lossy.webp"} {
		t.Run(name, func(t *testing.T) {
			data := readTestdata(t, name)
			c := codecOf(FormatFromName(name))
			saved := c.readHeader
			t.Cleanup(func() { c.readHeader = saved })
			calls := 0
			c.readHeader = func(data []byte) (header, error) { calls++; return saved(data) }
			if _, err := Make(bytes.NewReader(data), Options{}); err != nil {
				t.Fatal(err)
			}
			if calls != 1 {
				t.Errorf("header read %d times, want once", calls)
			}
		})
	}
}

// TestJPEGBudgetFollowsTheDecodersColourRule checks the memory estimate
// counts the RGB image image/jpeg makes of components named R, G, B even
// when an Adobe marker says YCbCr: the estimate and the decoder read the
// colour model from the same header walk. The same file with other
// component names is YCbCr, cheaper, and fits the same budget.
func TestJPEGBudgetFollowsTheDecodersColourRule(t *testing.T) {
	adobeYCbCr := jpegSegment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))
	build := func(ids string) []byte {
		data := jpegZeros(jpegSpec{width: 1000, height: 1000, sampling: [][2]int{{1, 1}, {1, 1}, {1, 1}}})
		data = append(append(append([]byte{}, data[:2]...), adobeYCbCr...), data[2:]...)
		return renameJPEGComponents(t, data, ids)
	}
	// A budget of 4 MB: 3 MB of samples fit, 3 MB and a 4 MB RGB image do
	// not. The box asks for a full-size decode: at 1/8, which the default
	// box allows, RGB is read from its DC coefficients and fits.
	opts := Options{Width: 1000, Height: 1000, Limits: Limits{MaxBytes: DefaultMaxBytes, MaxPixels: 1_000_000, MaxSide: DefaultMaxSide}}
	if _, err := Make(bytes.NewReader(build("\x01\x02\x03")), opts); err != nil {
		t.Errorf("YCbCr components: %v", err)
	}
	rgb := build("RGB")
	if !readJPEGLayout(rgb).RGB() {
		t.Fatal("components R, G, B under an Adobe YCbCr marker not read as RGB")
	}
	_, err := Make(bytes.NewReader(rgb), opts)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("RGB components: err = %v, want ErrTooLarge", err)
	}
}

// renameJPEGComponents gives the three components of a one-scan JPEG, in its
// frame and scan headers, the ids in ids.
func renameJPEGComponents(t *testing.T, data []byte, ids string) []byte {
	t.Helper()
	out := append([]byte{}, data...)
	old := map[byte]byte{}
	for i := 2; i+4 <= len(out); {
		m, n := out[i+1], int(binary.BigEndian.Uint16(out[i+2:]))
		switch {
		case m == 0xC0 || m == 0xC2:
			for c := 0; c < 3; c++ {
				old[out[i+10+3*c]] = ids[c]
				out[i+10+3*c] = ids[c]
			}
		case m == 0xDA:
			for c := 0; c < int(out[i+4]); c++ {
				out[i+5+2*c] = old[out[i+5+2*c]]
			}
			return out
		}
		i += 2 + n
	}
	t.Fatal("no scan")
	return nil
}

// TestHeaderKeepsNoSourceBytes checks the header the job keeps after
// decoding holds no slice of the source, which the decode step releases
// before resizing: the profile is copied, the layouts let go of the rest.
func TestHeaderKeepsNoSourceBytes(t *testing.T) {
	iccp := append([]byte("Test profile\x00\x00"), zlibOf(t, testProfile)...)
	for _, tt := range []struct {
		format Format
		data   []byte
	}{
		{JPEG, jpegWithICC(readTestdata(t, "video-001.jpeg"), testProfile, 4000)},
		{PNG, withPNGExif(pngWithChunk(readTestdata(t, "video-001.png"), "iCCP", iccp), 6)},
		{GIF, readTestdata(t, "triangle-001.gif")},
		{WebP, riffWebP(vp8xChunk(0x20|0x10, 1, 1), append([]byte("ICCP"), testProfile...), vp8lSolidChunk(1, 1, 0))},
	} {
		t.Run(string(tt.format), func(t *testing.T) {
			h, err := codecOf(tt.format).readHeader(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			first := uintptr(unsafe.Pointer(unsafe.SliceData(tt.data)))
			last := first + uintptr(len(tt.data))
			for _, p := range slicesIn(reflect.ValueOf(h), "header") {
				if p.at >= first && p.at < last {
					t.Errorf("%s points into the source", p.path)
				}
			}
		})
	}
}

// slicePointer is where a slice found in a value starts.
type slicePointer struct {
	path string
	at   uintptr
}

// slicesIn lists the non-empty slices reachable from v through structs and interfaces.
func slicesIn(v reflect.Value, path string) []slicePointer {
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
		out := []slicePointer{{path, v.Pointer()}}
		if v.Type().Elem().Kind() != reflect.Uint8 {
			for i := 0; i < v.Len(); i++ {
				out = append(out, slicesIn(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
		return out
	case reflect.Struct:
		var out []slicePointer
		for i := 0; i < v.NumField(); i++ {
			out = append(out, slicesIn(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
		return out
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return slicesIn(v.Elem(), path)
	}
	return nil
}
