package pngstream

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

// pngChunk encodes one chunk with its length and CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// withChunksBeforeIDAT inserts chunks right before the first IDAT of file.
func withChunksBeforeIDAT(t *testing.T, file []byte, chunks ...[]byte) []byte {
	t.Helper()
	i := bytes.Index(file, []byte("IDAT"))
	if i < 4 {
		t.Fatal("no IDAT chunk")
	}
	out := append([]byte{}, file[:i-4]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, file[i-4:]...)
}

// TestChunkOrderAsImagePNG checks the streamed decoder refuses the chunk
// orders image/png refuses, so a file gets one verdict whichever decoder
// the thumbnail size selects.
func TestChunkOrderAsImagePNG(t *testing.T) {
	encode := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	palette := make(color.Palette, 256) // 8-bit samples: the kind the streamed decoder reads
	for i := range palette {
		palette[i] = color.Gray{Y: uint8(i)}
	}
	pal := image.NewPaletted(image.Rect(0, 0, 64, 64), palette)
	gray := image.NewGray(image.Rect(0, 0, 64, 64))
	paletted, grey := encode(pal), encode(gray)
	ihdr := pngChunk("IHDR", paletted[16:29])
	plte := pngChunk("PLTE", []byte{255, 0, 0, 0, 255, 0})
	trns := pngChunk("tRNS", []byte{0})
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"second IHDR", withChunksBeforeIDAT(t, paletted, ihdr), "second IHDR"},
		{"second PLTE", withChunksBeforeIDAT(t, paletted, plte), "PLTE chunk out of order"},
		{"PLTE after tRNS", withChunksBeforeIDAT(t, paletted, trns, plte), "PLTE chunk out of order"},
		{"PLTE in a grey image", withChunksBeforeIDAT(t, grey, plte), "PLTE chunk in a grey image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := png.Decode(bytes.NewReader(tt.data)); err == nil {
				t.Fatal("image/png accepts the file: the case proves nothing")
			}
			_, err := decodeShrunk(tt.data, 2)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("streamed decode: error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
