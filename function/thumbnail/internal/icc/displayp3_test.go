package icc

import (
	"bytes"
	"encoding/binary"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

var update = flag.Bool("update", false, "rewrite testdata/DisplayP3.icc from its published colorants")

// Display P3's colorants adapted to D50 (Bradford), as published in Apple's
// Display P3 profile, and its transfer curve, the sRGB one.
var (
	p3Colorants = [3][3]float64{
		{0.515102, 0.241182, -0.001050}, // red
		{0.291965, 0.692236, 0.041882},  // green
		{0.157153, 0.066582, 0.784378},  // blue
	}
	srgbPara = []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045}
	// Bradford D65 to D50, the chad tag of a D65 display profile.
	chadD65 = [9]float64{1.047882, 0.022919, -0.050217, 0.029587, 0.990479, -0.017059, -0.009232, 0.015076, 0.751678}
)

// profileTag is one tag of a profile being written.
type profileTag struct {
	sig  string
	data []byte
}

// writeProfile lays out a version 4.3 display profile around its tags.
func writeProfile(space, pcs string, tags []profileTag) []byte {
	return writeProfileAs(4, "mntr", space, pcs, tags)
}

// writeProfileAs lays out a profile of the given major version and class.
func writeProfileAs(major byte, class, space, pcs string, tags []profileTag) []byte {
	var body bytes.Buffer
	offsets := make([]int, len(tags))
	start := 128 + 4 + 12*len(tags)
	for i, t := range tags {
		offsets[i] = start + body.Len()
		body.Write(t.data)
		for body.Len()%4 != 0 {
			body.WriteByte(0)
		}
	}
	h := make([]byte, 128)
	binary.BigEndian.PutUint32(h[0:], uint32(start+body.Len()))
	copy(h[4:], "lcms")
	h[8], h[9] = major, 0x30
	copy(h[12:], class)
	copy(h[16:], space)
	copy(h[20:], pcs)
	binary.BigEndian.PutUint16(h[24:], 2026)
	binary.BigEndian.PutUint16(h[26:], 1)
	binary.BigEndian.PutUint16(h[28:], 1)
	copy(h[36:], "acsp")
	copy(h[68:], xyzBytes(d50[0], d50[1], d50[2])[8:])
	var out bytes.Buffer
	out.Write(h)
	binary.Write(&out, binary.BigEndian, uint32(len(tags)))
	for i, t := range tags {
		out.WriteString(t.sig)
		binary.Write(&out, binary.BigEndian, uint32(offsets[i]))
		binary.Write(&out, binary.BigEndian, uint32(len(t.data)))
	}
	out.Write(body.Bytes())
	return out.Bytes()
}

// fixed encodes a number as s15Fixed16.
func fixed(v float64) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(int32(math.Round(v*65536))))
}

// xyzBytes is an XYZ tag of one value.
func xyzBytes(x, y, z float64) []byte {
	b := append([]byte("XYZ "), 0, 0, 0, 0)
	return append(append(append(b, fixed(x)...), fixed(y)...), fixed(z)...)
}

// paraBytes is a parametric curve tag.
func paraBytes(fn int, params []float64) []byte {
	b := append([]byte("para"), 0, 0, 0, 0, byte(fn>>8), byte(fn), 0, 0)
	for _, p := range params {
		b = append(b, fixed(p)...)
	}
	return b
}

// mlucBytes is a multiLocalizedUnicode tag holding one en-US string.
func mlucBytes(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := append([]byte("mluc"), 0, 0, 0, 0)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint32(b, 12)
	b = append(b, "enUS"...)
	b = binary.BigEndian.AppendUint32(b, uint32(2*len(u)))
	b = binary.BigEndian.AppendUint32(b, 28)
	for _, c := range u {
		b = binary.BigEndian.AppendUint16(b, c)
	}
	return b
}

// displayP3 builds the Display P3 profile.
func displayP3() []byte {
	trc := paraBytes(3, srgbPara)
	chad := append([]byte("sf32"), 0, 0, 0, 0)
	for _, v := range chadD65 {
		chad = append(chad, fixed(v)...)
	}
	return writeProfile("RGB ", "XYZ ", []profileTag{
		{"desc", mlucBytes("Display P3")},
		{"cprt", mlucBytes("No copyright, use freely")},
		{"wtpt", xyzBytes(d50[0], d50[1], d50[2])},
		{"rXYZ", xyzBytes(p3Colorants[0][0], p3Colorants[0][1], p3Colorants[0][2])},
		{"gXYZ", xyzBytes(p3Colorants[1][0], p3Colorants[1][1], p3Colorants[1][2])},
		{"bXYZ", xyzBytes(p3Colorants[2][0], p3Colorants[2][1], p3Colorants[2][2])},
		{"rTRC", trc},
		{"gTRC", trc},
		{"bTRC", trc},
		{"chad", chad},
	})
}

// TestDisplayP3Profile checks testdata/DisplayP3.icc is what the generator
// writes; go test -update rewrites it.
func TestDisplayP3Profile(t *testing.T) {
	path := filepath.Join("testdata", "DisplayP3.icc")
	want := displayP3()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the generator's output; run go test -update", path)
	}
}
