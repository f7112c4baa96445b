package thumbnail

import (
	"testing"
)

// TestReadWebPLayout checks the bitstream kind read from the chunks.
func TestReadWebPLayout(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want webpLayout
	}{
		{"lossy", readTestdata(t, "video-001.lossy.webp"), webpLayout{}},
		{"lossy with alpha", readTestdata(t, "yellow_rose.lossy-with-alpha.webp"), webpLayout{alpha: true}},
		{"lossless in an extended file flagged alpha", readTestdata(t, "gopher-doc.with-alpha.lossless.webp"), webpLayout{lossless: true, alpha: true}},
		{"extended lossless after metadata", riffWebP(vp8xChunk(0x10, 4, 4), []byte("ICCPabc"), vp8lSolidChunk(4, 4, 0)), webpLayout{lossless: true, alpha: true}},
		{"chunk larger than the data", withChunkSize(riffWebP(vp8xChunk(0, 4, 4), []byte("EXIF\x00\x00"), vp8lSolidChunk(4, 4, 0)), 30, 1<<31), webpLayout{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readWebPLayout(tt.data); got != tt.want {
				t.Errorf("layout %+v, want %+v", got, tt.want)
			}
		})
	}
}

// readWebPLayout is the WebP chunk walk's bitstream kind alone.
func readWebPLayout(data []byte) webpLayout { return walkWebP(data).layout }
