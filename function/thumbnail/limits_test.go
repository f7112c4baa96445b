package thumbnail

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"io"
	"testing"
)

// hostileAllocLimit bounds what refusing a hostile input may allocate: the
// header is read, the pixels never are.
const hostileAllocLimit = 8 << 20

// pngWithHeader returns a PNG signature and a valid IHDR declaring w x h RGBA
// pixels, followed by IEND and no image data.
func pngWithHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter method, no interlace
	writePNGChunk(&b, "IHDR", ihdr)
	writePNGChunk(&b, "IEND", nil)
	return b.Bytes()
}

func writePNGChunk(b *bytes.Buffer, kind string, data []byte) {
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	b.WriteString(kind)
	b.Write(data)
	b.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
}

// gifWithHeader returns a GIF whose logical screen is w x h, with no frames.
func gifWithHeader(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, ';') // no colour table, background 0, aspect 0, trailer
}

// jpegWithHeader returns a grayscale baseline JPEG start of frame declaring
// w x h, a start of scan and EOI, with no tables and no scan data.
func jpegWithHeader(w, h uint16) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08}
	b = binary.BigEndian.AppendUint16(b, h)
	b = binary.BigEndian.AppendUint16(b, w)
	b = append(b, 0x01, 0x01, 0x11, 0x00)
	b = append(b, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00)
	return append(b, 0xFF, 0xD9)
}

// riffWebP wraps chunks (fourcc + payload) in a RIFF WEBP container.
func riffWebP(chunks ...[]byte) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c[:4]...)
		body = binary.LittleEndian.AppendUint32(body, uint32(len(c)-4))
		body = append(body, c[4:]...)
		if len(c)%2 == 1 {
			body = append(body, 0)
		}
	}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+len(body)))
	b = append(b, "WEBP"...)
	return append(b, body...)
}

// vp8xChunk declares a w x h canvas; flags as in the WebP container specification.
func vp8xChunk(flags byte, w, h uint32) []byte {
	c := []byte{'V', 'P', '8', 'X', flags, 0, 0, 0}
	c = append(c, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	return append(c, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
}

// vp8lHeaderChunk is a lossless bitstream header declaring w x h (each 1-16384), without pixels.
func vp8lHeaderChunk(w, h uint32) []byte {
	bits := (w - 1) | (h-1)<<14
	return append([]byte("VP8L\x2f"), binary.LittleEndian.AppendUint32(nil, bits)...)
}

// TestHostileHeaders checks inputs whose headers lie about their size are
// refused with a typed, one-line error, from the header alone.
func TestHostileHeaders(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		kind   error
		reason string
	}{
		{"png 100000x100000", pngWithHeader(100_000, 100_000), ErrTooLarge,
			"png header declares 100000x100000 = 10000000000 pixels, limit 64000000"},
		{"png side over limit", pngWithHeader(70_000, 1), ErrTooLarge,
			"png header declares 70000x1, side limit 65535"},
		{"png zero size", pngWithHeader(0, 0), ErrCorrupt,
			"png header: png: invalid format: non-positive dimension"},
		{"gif 65535x65535", gifWithHeader(65535, 65535), ErrTooLarge,
			"gif header declares 65535x65535 = 4294836225 pixels, limit 64000000"},
		{"gif zero size", gifWithHeader(0, 10), ErrCorrupt,
			"gif header declares 0x10: an image needs at least one pixel"},
		{"jpeg 65000x65000", jpegWithHeader(65000, 65000), ErrTooLarge,
			"jpeg header declares 65000x65000 = 4225000000 pixels, limit 64000000"},
		{"jpeg zero height", jpegWithHeader(100, 0), ErrCorrupt,
			"jpeg header declares 100x0: an image needs at least one pixel"},
		{"webp canvas 16777216x16", riffWebP(vp8xChunk(0, 1<<24, 16)), ErrTooLarge,
			"webp header declares 16777216x16 = 268435456 pixels, limit 64000000"},
		{"webp lossless 16384x16384", riffWebP(vp8lHeaderChunk(16384, 16384)), ErrTooLarge,
			"webp header declares 16384x16384 = 268435456 pixels, limit 64000000"},
		{"webp small canvas hiding a huge lossless frame", riffWebP(vp8xChunk(0, 16, 16), vp8lHeaderChunk(16000, 16000)), ErrCorrupt,
			"webp data: webp: invalid format"},
		{"png header without data", pngWithHeader(100, 100), ErrCorrupt,
			"png 100x100: 0 bytes of image data cannot inflate to the 40100 bytes of rows it declares"},
		{"gif header without frames", gifWithHeader(100, 100), ErrCorrupt,
			"gif data: gif: missing image data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			alloc := allocatedBy(func() { _, err = Make(bytes.NewReader(tt.data), Options{}) })
			e := wantKind(t, err, tt.kind)
			if e.Reason != tt.reason {
				t.Errorf("reason %q\nwant   %q", e.Reason, tt.reason)
			}
			if alloc > hostileAllocLimit {
				t.Errorf("allocated %d bytes refusing it, limit %d", alloc, hostileAllocLimit)
			}
		})
	}
}

// TestLimitsFromOptions checks lower limits passed in Options are the ones enforced.
func TestLimitsFromOptions(t *testing.T) {
	data := readTestdata(t, "video-001.jpeg") // 150x103
	tests := []struct {
		name   string
		limits Limits
		reason string
	}{
		{"pixels", Limits{MaxPixels: 150*103 - 1}, "jpeg header declares 150x103 = 15450 pixels, limit 15449"},
		{"side", Limits{MaxSide: 149}, "jpeg header declares 150x103, side limit 149"},
		{"bytes", Limits{MaxBytes: int64(len(data)) - 1}, "input is 21459 bytes, limit 21458"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Make(bytes.NewReader(data), Options{Limits: tt.limits})
			if e := wantKind(t, err, ErrTooLarge); e.Reason != tt.reason {
				t.Errorf("reason %q, want %q", e.Reason, tt.reason)
			}
		})
	}
	// At the limits exactly, the image passes.
	exact := Limits{MaxBytes: int64(len(data)), MaxPixels: 150 * 103, MaxSide: 150}
	mustMake(t, data, Options{Limits: exact})
}

// zeros is an endless source of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestOverMaxBytes checks an oversized source is refused after reading one byte
// over the limit, whether or not the reader knows its length.
func TestOverMaxBytes(t *testing.T) {
	const limit = 1 << 20
	big := append(readTestdata(t, "video-001.jpeg"), make([]byte, 2*limit)...)
	sized := bytes.NewReader(big)
	tests := []struct {
		name     string
		src      io.Reader
		consumed func() int
		reason   string
	}{
		{"endless stream", &countingReader{r: zeros{}}, nil, "input is over 1048576 bytes, the limit"},
		{"stream of a valid image with a long tail", &countingReader{r: bytes.NewReader(big)}, nil,
			"input is over 1048576 bytes, the limit"},
		{"reader that knows its length", sized, func() int { return len(big) - sized.Len() },
			"input is 2118611 bytes, limit 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, ok := tt.src.(*countingReader); ok {
				tt.consumed = func() int { return c.n }
			}
			var err error
			alloc := allocatedBy(func() { _, err = Make(tt.src, Options{Limits: Limits{MaxBytes: limit}}) })
			if e := wantKind(t, err, ErrTooLarge); e.Reason != tt.reason {
				t.Errorf("reason %q, want %q", e.Reason, tt.reason)
			}
			if n := tt.consumed(); n > limit+1 {
				t.Errorf("read %d bytes, want at most the limit plus one", n)
			}
			if alloc > hostileAllocLimit {
				t.Errorf("allocated %d bytes, limit %d", alloc, hostileAllocLimit)
			}
		})
	}
}

// TestDecoderPanicIsCorrupt checks a panic inside a decoder comes back as ErrCorrupt.
func TestDecoderPanicIsCorrupt(t *testing.T) {
	replaceDecode(t, PNG, panickingDecode)
	_, err := Make(bytes.NewReader(readTestdata(t, "video-001.png")), Options{})
	e := wantKind(t, err, ErrCorrupt)
	if want := "png decode step failed: panic: index out of range"; e.Reason != want {
		t.Errorf("reason %q, want %q", e.Reason, want)
	}
}

// panickingDecode panics on pixels, after the real header step, as a decoder
// with an indexing bug would on hostile bytes.
func panickingDecode([]byte, *header, int, int, int64) (image.Image, error) {
	panic("index out of range")
}
