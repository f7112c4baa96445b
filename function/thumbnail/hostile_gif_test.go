package thumbnail

import (
	"bytes"
	"compress/lzw"
	"encoding/binary"
	"testing"
)

// gifFrame is the first frame of a GIF built by hand: its place and size on
// the logical screen, and its LZW-coded pixels.
type gifFrame struct {
	left, top, width, height uint16
	lzw                      []byte // minimum code size 2, without the sub-block framing
}

// gifFile writes a GIF89a whose logical screen is w x h, with a global
// palette of four colours (the first one transparent) and the frame.
func gifFile(w, h uint16, f gifFrame) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	b = append(b, 0x81, 0, 0)                               // global colour table of 4 entries
	b = append(b, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255) // black, red, green, blue
	b = append(b, 0x21, 0xF9, 4, 0x01, 0, 0, 0, 0)          // graphic control: colour 0 is transparent
	b = append(b, 0x2C)
	for _, v := range []uint16{f.left, f.top, f.width, f.height} {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	b = append(b, 0, 2) // no local colour table; LZW minimum code size 2
	for data := f.lzw; len(data) > 0; {
		n := min(len(data), 255)
		b = append(b, byte(n))
		b = append(b, data[:n]...)
		data = data[n:]
	}
	return append(b, 0, ';')
}

// lzwZeros returns n pixels of colour index 0 coded as GIF's LZW.
func lzwZeros(t testing.TB, n int) []byte {
	var b bytes.Buffer
	zw := lzw.NewWriter(&b, lzw.LSB, 2)
	block := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(block) {
		if _, err := zw.Write(block[:min(left, len(block))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hostileGIF: screens over the limits, frames outside their screen, and
// sizes whose full-size decode is over the budget.
func hostileGIF() []hostileCase {
	zeros := func(screen, frame uint16, left uint16) func(testing.TB) []byte {
		return func(t testing.TB) []byte {
			return gifFile(screen, screen, gifFrame{left, 0, frame, frame, lzwZeros(t, int(frame)*int(frame))})
		}
	}
	return []hostileCase{
		{name: "gif 8001x8000 screen, pixels just over the limit", input: constant(gifWithHeader(8001, 8000)),
			kind: ErrTooLarge, reason: "8001x8000 = 64008000 pixels, limit 64000000", bound: fromHeader},
		// 65535, the largest side a GIF can declare, is the side limit.
		{name: "gif 65535x100 screen with a 1x1 frame, the longest side", input: func(t testing.TB) []byte {
			return gifFile(65535, 100, gifFrame{0, 0, 1, 1, lzwZeros(t, 1)})
		}, reason: string(GIF), bound: fullSize(gifBytesPerPixel * 65535 * 100)},
		// GIF is decoded at full size: a byte a pixel for the frame and four
		// for the canvas or the resizer's copy.
		{name: "gif 8000x8000 zeros", input: zeros(8000, 8000, 0),
			kind: ErrTooLarge, reason: "gif 8000x8000 first frame: decoding needs about 320 MB, decode budget 256 MB", bound: fromHeader},
		{name: "gif 8000x8000 screen with a 1x1 frame", input: func(t testing.TB) []byte {
			return gifFile(8000, 8000, gifFrame{0, 0, 1, 1, lzwZeros(t, 1)})
		}, kind: ErrTooLarge, reason: "decoding needs about 320 MB", bound: fromHeader},
		{name: "gif 4000x4000 zeros within the budget", input: zeros(4000, 4000, 0),
			reason: string(GIF), bound: fullSize(gifBytesPerPixel * 4000 * 4000)},
		{name: "gif 7155x7155 zeros at the decode budget", input: zeros(7155, 7155, 0),
			reason: string(GIF), bound: fullSize(gifBytesPerPixel * 7155 * 7155)},
		{name: "gif 4000x4000 screen with a 3999x4000 frame", input: func(t testing.TB) []byte {
			return gifFile(4000, 4000, gifFrame{1, 0, 3999, 4000, lzwZeros(t, 3999*4000)})
		}, reason: string(GIF), bound: fullSize(gifBytesPerPixel * 4000 * 4000)},
		{name: "gif 4000x4000 frame with 100 bytes of data", input: func(t testing.TB) []byte {
			return gifFile(4000, 4000, gifFrame{0, 0, 4000, 4000, lzwZeros(t, 4000*4000)[:100]})
		}, kind: ErrCorrupt, reason: "not enough image data", bound: fullSize(4000 * 4000)},
		// Frames the logical screen does not contain: the canvas grows to
		// hold the first one, as ImageMagick and browsers show it, and the
		// limits apply to the grown canvas.
		{name: "gif 300x200 frame on a 100x100 screen", input: func(t testing.TB) []byte {
			return gifFile(100, 100, gifFrame{0, 0, 300, 200, lzwZeros(t, 300*200)})
		}, reason: string(GIF), bound: fullSize(gifBytesPerPixel * 300 * 200)},
		{name: "gif frame larger than the screen, beyond the decode budget", input: func(t testing.TB) []byte {
			return gifFile(100, 100, gifFrame{0, 0, 8000, 8000, lzwZeros(t, 1000)})
		}, kind: ErrTooLarge, reason: "decoding needs about 320 MB", bound: fromHeader},
		{name: "gif frame placed past the screen", input: func(t testing.TB) []byte {
			return gifFile(100, 100, gifFrame{65000, 65000, 100, 100, lzwZeros(t, 100*100)})
		}, kind: ErrTooLarge, reason: "65100x65100", bound: fromHeader},
		{name: "gif 65535x65535 frame on a 100x100 screen", input: func(t testing.TB) []byte {
			return gifFile(100, 100, gifFrame{0, 0, 65535, 65535, nil})
		}, kind: ErrTooLarge, reason: "65535x65535", bound: fromHeader},
	}
}
