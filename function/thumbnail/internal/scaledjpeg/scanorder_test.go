package scaledjpeg

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sosHeaders returns the offsets of the SOS segments' payloads in data (the
// byte after the length), scanning markers outside entropy-coded data.
func sosHeaders(t *testing.T, data []byte) []int {
	t.Helper()
	var out []int
	for i := 2; i+4 < len(data); i++ {
		if data[i] == 0xFF && data[i+1] == markerSOS {
			out = append(out, i+4)
		}
	}
	if len(out) == 0 {
		t.Fatal("no SOS marker")
	}
	return out
}

// TestScanStructureAsImageJPEG edits the scan headers of real files into
// what the JPEG process forbids. image/jpeg refuses each; so must every
// scale of Decode, with the DC-only decoder's reason.
func TestScanStructureAsImageJPEG(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// editScan changes scan n's header: spectral selection start and
	// end, and the successive approximation byte.
	editScan := func(data []byte, n int, edit func(p []byte)) []byte {
		out := append([]byte{}, data...)
		p := out[sosHeaders(t, out)[n]:]
		edit(p[:1+2*int(p[0])+3])
		return out
	}
	progressive := read("video-001.progressive.jpeg")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"AC scan ending at 80", editScan(progressive, 1, func(p []byte) { p[len(p)-2] = 80 }), "bad spectral selection"},
		{"AC scan starting after its end", editScan(progressive, 1, func(p []byte) { p[len(p)-3] = 9; p[len(p)-2] = 5 }), "bad spectral selection"},
		{"DC scan ending at 5", editScan(progressive, 0, func(p []byte) { p[len(p)-2] = 5 }), "bad spectral selection"},
		{"approximation 5 then 1", editScan(progressive, 0, func(p []byte) { p[len(p)-1] = 0x51 }), "bad successive approximation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := jpeg.Decode(bytes.NewReader(tt.data)); err == nil {
				t.Fatal("image/jpeg accepts the file: the case proves nothing")
			}
			for _, denom := range []int{8, 4, 2, 1} {
				_, err := Decode(tt.data, ReadHeader(tt.data), denom)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Decode at 1/%d: error %v, want one containing %q", denom, err, tt.want)
				}
			}
		})
	}
}
