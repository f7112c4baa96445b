package thumbnail

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/klauspost/compress/zlib"
)

// TestHostileEmbeddedProfiles checks profiles a container cannot deliver
// whole: each thumbnail is still made, with the reason in ColourFallback.
func TestHostileEmbeddedProfiles(t *testing.T) {
	p3 := readICC(t, p3ICC)
	jpg := encodeChartJPEG(t, rgbChart())
	pngData := encodeChartPNG(t, rgbChart())
	// A zlib stream of 64 MiB of zeros, a few KB compressed.
	var bomb bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&bomb, zlib.BestCompression)
	zw.Write(make([]byte, 64<<20))
	zw.Close()
	oneSegment := func(seq, count byte, part []byte) []byte {
		seg := append([]byte("ICC_PROFILE\x00"), seq, count)
		seg = append(seg, part...)
		return append([]byte{0xFF, 0xE2, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	}
	insert := func(segs ...[]byte) []byte {
		out := append([]byte(nil), jpg[:2]...)
		for _, s := range segs {
			out = append(out, s...)
		}
		return append(out, jpg[2:]...)
	}
	cases := []struct {
		name, data, want string
	}{
		{"iCCP inflating to 64 MiB", string(withPNGChunks(pngData, colourPNGChunk("iCCP", append([]byte("bomb\x00\x00"), bomb.Bytes()...)))), "bytes inflated"},
		{"iCCP without a name", string(withPNGChunks(pngData, colourPNGChunk("iCCP", []byte("\x00\x00x")))), "without a name"},
		{"ICC_PROFILE part 2 of 3 missing", string(insert(oneSegment(1, 3, p3[:200]), oneSegment(3, 3, p3[400:]))), "segment 2 of 3 missing"},
		{"ICC_PROFILE part repeated", string(insert(oneSegment(1, 2, p3[:300]), oneSegment(1, 2, p3[:300]))), "repeated"},
		{"ICC_PROFILE counts disagree", string(insert(oneSegment(1, 2, p3[:300]), oneSegment(2, 3, p3[300:]))), "disagree"},
		{"ICC_PROFILE part 0", string(insert(oneSegment(0, 1, p3))), "segment 0 of 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MakeBytes([]byte(c.data), DefaultOptions())
			if err != nil {
				t.Fatalf("a good image with a bad profile must still make a thumbnail: %v", err)
			}
			if r.SourceProfile != "" || !strings.Contains(r.ColourFallback, c.want) {
				t.Errorf("SourceProfile %q, ColourFallback %q; want none and %q", r.SourceProfile, r.ColourFallback, c.want)
			}
		})
	}
}

// FuzzColourSource checks that reading the colour information of any header
// and planning its conversion never panic, whatever the bytes.
func FuzzColourSource(f *testing.F) {
	p3, err := readFileForFuzz(p3ICC)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(withJPEGICC([]byte{0xFF, 0xD8, 0xFF, 0xD9}, p3, 200, []int{1, 0, 2}))
	f.Add(withPNGChunks(append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 17)...), iccpChunk(p3), gamaChunk(0.45455)))
	f.Add(append([]byte("RIFF\x00\x00\x00\x00WEBPICCP\x10\x00\x00\x00"), p3[:16]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{JPEG, PNG, WebP} {
			h, err := codecOf(format).readHeader(data)
			if err == nil {
				_ = planColour(colourSourceOf(&job{header: h}))
			}
		}
	})
}

// readFileForFuzz reads a file for a fuzz seed.
func readFileForFuzz(path string) ([]byte, error) { return os.ReadFile(path) }
