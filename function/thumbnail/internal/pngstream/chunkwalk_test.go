package pngstream

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"testing"
)

// withChunks inserts chunks right after the IHDR chunk of a PNG.
func withChunks(t *testing.T, data []byte, chunks ...[2]string) []byte {
	t.Helper()
	const ihdrEnd = 8 + 8 + 13 + 4
	var b bytes.Buffer
	b.Write(data[:ihdrEnd])
	for _, c := range chunks {
		writeChunk(&b, c[0], []byte(c[1]))
	}
	b.Write(data[ihdrEnd:])
	return b.Bytes()
}

// TestReadHeaderMetadata checks the chunks the walk reports besides the
// image header: the ICC profile (name and compressed bytes, as stored), the
// colour chunks, and EXIF, each only when its chunk is whole; and that
// image/png still reads every file built here.
func TestReadHeaderMetadata(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	base := b.Bytes()
	tests := []struct {
		name              string
		chunks            [][2]string
		wantName, wantICC string
		srgb, gamma, chrm bool
		wantExif          string
	}{
		{name: "none"},
		{name: "iCCP", chunks: [][2]string{{"iCCP", "Display P3\x00\x00zlib bytes"}}, wantName: "Display P3", wantICC: "zlib bytes"},
		{name: "iCCP of an unknown compression method", chunks: [][2]string{{"iCCP", "P\x00\x01zz"}}},
		{name: "iCCP without a name end", chunks: [][2]string{{"iCCP", "no terminator"}}},
		{name: "colour chunks", chunks: [][2]string{{"sRGB", "\x00"}, {"gAMA", "\x00\x00\xb1\x8f"}, {"cHRM", string(make([]byte, 32))}}, srgb: true, gamma: true, chrm: true},
		{name: "eXIf", chunks: [][2]string{{"eXIf", "MM\x00\x2a"}}, wantExif: "MM\x00\x2a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := withChunks(t, base, tt.chunks...)
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Fatalf("image/png: %v", err)
			}
			h := ReadHeader(data)
			if h.Width != 4 || h.Height != 3 || h.ICCName != tt.wantName || string(h.ICCData) != tt.wantICC ||
				h.SRGB != tt.srgb || h.Gamma != tt.gamma || h.Chromaticities != tt.chrm || string(h.Exif) != tt.wantExif {
				t.Errorf("header %+v", h)
			}
		})
	}
	cut := withChunks(t, base, [2]string{"eXIf", "MM\x00\x2a"})
	end := 8 + 25 + 12 + 4 - 2 // the eXIf chunk's CRC cut
	if h := ReadHeader(cut[:end]); h.Exif != nil {
		t.Errorf("eXIf chunk cut short read as %q", h.Exif)
	}
}

// TestReadHeaderStreams checks the streaming verdict from IHDR and a tRNS
// chunk before the image data.
func TestReadHeaderStreams(t *testing.T) {
	ihdr := func(depth, ctype, interlace byte) []byte {
		var b bytes.Buffer
		b.WriteString(signature)
		p := binary.BigEndian.AppendUint32(nil, 10)
		p = binary.BigEndian.AppendUint32(p, 10)
		writeChunk(&b, "IHDR", append(p, depth, ctype, 0, 0, interlace))
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"8-bit RGB", ihdr(8, 2, 0), true},
		{"16-bit RGB", ihdr(16, 2, 0), true},
		{"1-bit grey", ihdr(1, 0, 0), true},
		{"interlaced", ihdr(8, 2, 1), false},
		{"colour key", withChunks(t, ihdr(8, 2, 0), [2]string{"tRNS", "\x00\x00\x00\x00\x00\x00"}), true},
		{"interlaced 16-bit", ihdr(16, 6, 1), false},
		{"palette transparency", withChunks(t, ihdr(8, 3, 0), [2]string{"PLTE", "\x00\x00\x00"}, [2]string{"tRNS", "\x00"}), true},
		{"not a PNG", append([]byte("GIF89a"), ihdr(8, 2, 0)[6:]...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadHeader(tt.data).Streams(); got != tt.want {
				t.Errorf("Streams() = %v, want %v", got, tt.want)
			}
		})
	}
}
