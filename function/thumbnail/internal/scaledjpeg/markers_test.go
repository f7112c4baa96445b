package scaledjpeg

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// segment returns marker FF<m> with its length and payload.
func segment(m byte, payload []byte) []byte {
	return append(binary.BigEndian.AppendUint16([]byte{0xFF, m}, uint16(len(payload)+2)), payload...)
}

// iccSegment is the APP2 segment holding part seq of count of an ICC profile.
func iccSegment(seq, count byte, part string) []byte {
	return segment(0xE2, append([]byte(iccMarker+string([]byte{seq, count})), part...))
}

// withSegments inserts segments right after the SOI marker of a JPEG.
func withSegments(jpg []byte, segments ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segments {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

func videoJPEG(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", "video-001.jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestICCProfile checks the reassembly of a profile split over APP2
// segments, by the rules of libjpeg's read_icc_profile: in sequence order
// whatever the file order, and none at all when the parts do not make one
// whole profile.
func TestICCProfile(t *testing.T) {
	base := videoJPEG(t)
	tests := []struct {
		name     string
		segments [][]byte
		want     []byte
		wantErr  string // part of the error for parts that make no whole profile
	}{
		{"none", nil, nil, ""},
		{"one segment", [][]byte{iccSegment(1, 1, "whole profile")}, []byte("whole profile"), ""},
		{"three in order", [][]byte{iccSegment(1, 3, "abc"), iccSegment(2, 3, "def"), iccSegment(3, 3, "gh")}, []byte("abcdefgh"), ""},
		{"three out of order", [][]byte{iccSegment(3, 3, "gh"), iccSegment(1, 3, "abc"), iccSegment(2, 3, "def")}, []byte("abcdefgh"), ""},
		{"a part missing", [][]byte{iccSegment(1, 3, "abc"), iccSegment(3, 3, "gh")}, nil, "segment 2 of 3 missing"},
		{"a part repeated", [][]byte{iccSegment(1, 2, "abc"), iccSegment(1, 2, "abc")}, nil, "repeated"},
		{"counts disagree", [][]byte{iccSegment(1, 2, "abc"), iccSegment(2, 3, "def")}, nil, "disagree"},
		{"sequence number 0", [][]byte{iccSegment(0, 1, "abc")}, nil, "segment 0 of 1"},
		{"other APP2 segments ignored", [][]byte{segment(0xE2, []byte("FPXR\x00junk")), iccSegment(1, 1, "p")}, []byte("p"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadHeader(withSegments(base, tt.segments...)).ICCProfile()
			if !bytes.Equal(got, tt.want) {
				t.Errorf("ICCProfile() = %q, want %q", got, tt.want)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("ICCProfile() error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	// After the first scan, an APP2 segment belongs to no profile the decoders see.
	late := append(append([]byte{}, base[:len(base)-2]...), iccSegment(1, 1, "late")...)
	if got, _ := ReadHeader(append(late, 0xFF, 0xD9)).ICCProfile(); got != nil {
		t.Errorf("profile after the scan: %q, want none", got)
	}
}

// TestHeaderRGBMatchesImageJPEG checks Header.RGB, which the memory estimate
// uses, against the image type image/jpeg decodes three components to, for
// every combination of component names and colour markers.
func TestHeaderRGBMatchesImageJPEG(t *testing.T) {
	base := videoJPEG(t) // JFIF, components 1, 2, 3
	noJFIF := removeSegment(t, base, 0xE0)
	adobe := func(transform byte) []byte {
		return segment(0xEE, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, transform})
	}
	tests := []struct {
		name     string
		data     []byte
		ids      string
		segments [][]byte
		wantRGB  bool
	}{
		{"JFIF", base, "\x01\x02\x03", nil, false},
		{"JFIF with ids R G B", base, "RGB", nil, false},
		{"no markers", noJFIF, "\x01\x02\x03", nil, false},
		{"ids R G B", noJFIF, "RGB", nil, true},
		{"Adobe transform 0", noJFIF, "\x01\x02\x03", [][]byte{adobe(0)}, true},
		{"Adobe transform 1", noJFIF, "\x01\x02\x03", [][]byte{adobe(1)}, false},
		{"Adobe transform 1 with ids R G B", noJFIF, "RGB", [][]byte{adobe(1)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := withSegments(renameComponents(t, tt.data, tt.ids), tt.segments...)
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			_, decodedRGB := img.(*image.RGBA)
			h := ReadHeader(data)
			if h.RGB() != tt.wantRGB || decodedRGB != tt.wantRGB {
				t.Errorf("Header.RGB() = %v, image/jpeg decodes to %T; want RGB %v", h.RGB(), img, tt.wantRGB)
			}
			if h.RGB() && (!h.Scales() || h.ReducedScales()) {
				t.Errorf("RGB file: Scales() %v, ReducedScales() %v; want the DC-only decoder alone (jpegn gets RGB wrong)", h.Scales(), h.ReducedScales())
			}
		})
	}
}

// removeSegment drops the first segment with marker m.
func removeSegment(t *testing.T, data []byte, m byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte{0xFF, m})
	if i < 0 {
		t.Fatalf("no marker %02X", m)
	}
	n := int(binary.BigEndian.Uint16(data[i+2:]))
	return append(append([]byte{}, data[:i]...), data[i+2+n:]...)
}

// renameComponents gives the frame's three components and every scan's
// references to them the ids in ids.
func renameComponents(t *testing.T, data []byte, ids string) []byte {
	t.Helper()
	out := append([]byte{}, data...)
	old := map[byte]byte{}
	for i := 2; i+4 <= len(out); {
		m := out[i+1]
		n := int(binary.BigEndian.Uint16(out[i+2:]))
		switch m {
		case markerSOF0, markerSOF1, markerSOF2:
			for c := 0; c < 3; c++ {
				old[out[i+10+3*c]] = ids[c]
				out[i+10+3*c] = ids[c]
			}
		case markerSOS:
			for c := 0; c < int(out[i+4]); c++ {
				out[i+5+2*c] = old[out[i+5+2*c]]
			}
			return out // video-001.jpeg is baseline: one scan
		}
		i += 2 + n
	}
	t.Fatal("no scan")
	return nil
}

// TestReadHeaderExif checks the EXIF payload is found before the first scan,
// past stray bytes between segments as decoders skip them, and only whole.
func TestReadHeaderExif(t *testing.T) {
	exif := []byte("Exif\x00\x00MM\x00\x2a")
	base := videoJPEG(t)
	tests := []struct {
		name string
		data []byte
		want []byte
	}{
		{"first segment", withSegments(base, segment(0xE1, exif)), exif},
		{"after XMP", withSegments(base, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00")), segment(0xE1, exif)), exif},
		{"after stray bytes", withSegments(base, []byte{0x12, 0x34}, segment(0xE1, exif)), exif},
		{"cut short", append([]byte{0xFF, 0xD8}, segment(0xE1, exif)[:10]...), nil},
		{"none", base, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadHeader(tt.data).Exif; !bytes.Equal(got, tt.want) {
				t.Errorf("Exif = %q, want %q", got, tt.want)
			}
		})
	}
}
