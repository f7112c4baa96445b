package thumbnail

import (
	"bytes"
	"compress/lzw"
	"image"
	"testing"
)

// lzwIndex returns n pixels of one colour index coded as GIF's LZW.
func lzwIndex(t *testing.T, n int, index byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := lzw.NewWriter(&b, lzw.LSB, 2)
	if _, err := zw.Write(bytes.Repeat([]byte{index}, n)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGIFFrameBeyondTheScreen(t *testing.T) {
	tests := []struct {
		name   string
		frame  gifFrame
		canvas image.Rectangle
	}{
		{"larger than the screen", gifFrame{0, 0, 300, 200, nil}, image.Rect(0, 0, 300, 200)},
		{"placed across its edge", gifFrame{50, 20, 100, 100, nil}, image.Rect(0, 0, 150, 120)},
		{"inside it", gifFrame{10, 10, 50, 50, nil}, image.Rect(0, 0, 100, 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.frame
			f.lzw = lzwIndex(t, int(f.width)*int(f.height), 1) // red
			data := gifFile(100, 100, f)
			h, err := readGIFHeader(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := image.Rect(0, 0, h.width, h.height); got != tt.canvas {
				t.Fatalf("canvas %v, want %v", got, tt.canvas)
			}
			img, err := decodeGIF(data, &h, 0, 0, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds() != tt.canvas {
				t.Fatalf("decoded %v, want %v", img.Bounds(), tt.canvas)
			}
			frame := image.Rect(int(f.left), int(f.top), int(f.left+f.width), int(f.top+f.height))
			for _, p := range []image.Point{frame.Min, frame.Max.Sub(image.Pt(1, 1))} {
				if r, g, b, a := img.At(p.X, p.Y).RGBA(); r != 0xFFFF || g != 0 || b != 0 || a != 0xFFFF {
					t.Errorf("frame pixel %v is %v, want opaque red", p, img.At(p.X, p.Y))
				}
			}
			if _, _, _, a := img.At(0, 0).RGBA(); !image.Pt(0, 0).In(frame) && a != 0 {
				t.Errorf("canvas pixel outside the frame is not transparent: %v", img.At(0, 0))
			}
			// The whole pipeline makes a thumbnail of it.
			if _, err := MakeBytes(data, Options{}); err != nil {
				t.Errorf("MakeBytes: %v", err)
			}
		})
	}
}
