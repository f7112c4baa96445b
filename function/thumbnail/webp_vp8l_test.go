package thumbnail

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"testing"

	"golang.org/x/image/webp"
)

// gopherVP8L is the VP8L chunk (type and payload) of the committed lossless sample.
func gopherVP8L(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/gopher-doc.with-alpha.lossless.webp")
	if err != nil {
		t.Fatal(err)
	}
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if string(data[i:i+4]) == "VP8L" {
			return append([]byte("VP8L"), data[i+8:i+8+n]...)
		}
		i += 8 + n + n&1
	}
	t.Fatal("no VP8L chunk in the sample")
	return nil
}

// sameVerdict decodes data with decodeWebPImage and golang.org/x/image/webp
// and fails unless both refuse it with the same message or both give the
// same pixels.
func sameVerdict(t *testing.T, data []byte) {
	t.Helper()
	got, err := decodeWebPImage(data)
	want, wantErr := webp.Decode(bytes.NewReader(data))
	switch {
	case err != nil || wantErr != nil:
		if err == nil || wantErr == nil || err.Error() != wantErr.Error() {
			t.Fatalf("error %v, golang.org/x/image/webp: %v", err, wantErr)
		}
		return
	}
	if diff := samePlanes(got, want); diff != "" {
		t.Fatalf("%s (golang.org/x/image/webp)", diff)
	}
}

// samePlanes reports how two decodes differ, or "" when they are of the
// same type and size with the same samples: RGBA for lossless, Y, Cb, Cr
// (and alpha) for lossy.
func samePlanes(got, want image.Image) string {
	if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) || got.Bounds() != want.Bounds() {
		return fmt.Sprintf("%T %v, want %T %v", got, got.Bounds(), want, want.Bounds())
	}
	w, h := got.Bounds().Dx(), got.Bounds().Dy()
	rows := func(name string, a, b []byte, sa, sb, n, m int) string {
		for y := 0; y < m; y++ {
			if !bytes.Equal(a[y*sa:][:n], b[y*sb:][:n]) {
				return fmt.Sprintf("%s row %d differs", name, y)
			}
		}
		return ""
	}
	switch g := got.(type) {
	case *image.NRGBA:
		return rows("RGBA", g.Pix, want.(*image.NRGBA).Pix, g.Stride, want.(*image.NRGBA).Stride, 4*w, h)
	case *image.NYCbCrA:
		x := want.(*image.NYCbCrA)
		if d := rows("A", g.A, x.A, g.AStride, x.AStride, w, h); d != "" {
			return d
		}
		return samePlanes(&g.YCbCr, &x.YCbCr)
	case *image.YCbCr:
		x := want.(*image.YCbCr)
		cw, ch := (w+1)/2, (h+1)/2
		for _, d := range []string{
			rows("Y", g.Y, x.Y, g.YStride, x.YStride, w, h),
			rows("Cb", g.Cb, x.Cb, g.CStride, x.CStride, cw, ch),
			rows("Cr", g.Cr, x.Cr, g.CStride, x.CStride, cw, ch),
		} {
			if d != "" {
				return d
			}
		}
		return ""
	}
	return fmt.Sprintf("unexpected %T", got)
}

// TestWebPContainerVerdicts checks that the container walk in front of
// internal/vp8l gives every file golang.org/x/image/webp's verdict and
// message: chunks before the image, VP8X canvases, padding, and sizes that
// disagree with the file.
func TestWebPContainerVerdicts(t *testing.T) {
	vp8l := gopherVP8L(t)
	plain := riffWebP(vp8l)
	withRIFFSize := func(b []byte, n uint32) []byte {
		out := append([]byte{}, b...)
		binary.LittleEndian.PutUint32(out[4:], n)
		return out
	}
	const alphaFlag, iccFlag, exifFlag = 0x10, 0x20, 0x08
	tests := []struct {
		name string
		data []byte
	}{
		{"VP8L alone", plain},
		{"VP8X of the same size", riffWebP(vp8xChunk(alphaFlag, 153, 55), vp8l)},
		{"VP8X of another size", riffWebP(vp8xChunk(alphaFlag, 154, 55), vp8l)},
		{"VP8X without the alpha flag", riffWebP(vp8xChunk(0, 153, 55), vp8l)},
		{"VP8X, ICCP, EXIF, then VP8L", riffWebP(vp8xChunk(iccFlag|exifFlag, 153, 55), []byte("ICCP\x01\x02\x03"), []byte("EXIFabcd"), vp8l)},
		{"an odd-sized unknown chunk, padded", riffWebP([]byte("ABCDxyz"), vp8l)},
		{"two VP8X", riffWebP(vp8xChunk(0, 153, 55), vp8xChunk(0, 153, 55), vp8l)},
		{"VP8X of 9 bytes", riffWebP(vp8xChunk(0, 153, 55)[:13], vp8l)},
		{"VP8X of 2^24 x 2^24", riffWebP(vp8xChunk(0, 1<<24, 1<<24), vp8l)},
		{"ALPH before VP8L", riffWebP(vp8xChunk(alphaFlag, 153, 55), []byte("ALPH\x00"), vp8l)},
		{"ALPH without the alpha flag", riffWebP([]byte("ALPH\x00"), vp8l)},
		{"VP8L of 4 bytes after VP8X", riffWebP(vp8xChunk(0, 153, 55), vp8l[:8])},
		{"VP8L of a bad magic after VP8X", riffWebP(vp8xChunk(0, 153, 55), append([]byte("VP8L\x2e"), vp8l[5:]...))},
		{"VP8L of a bad magic", riffWebP(append([]byte("VP8L\x2e"), vp8l[5:]...))},
		{"VP8L then junk", append(plain, "trailing bytes"...)},
		{"RIFF size 3", withRIFFSize(plain, 3)},
		{"RIFF size 4: no chunks", withRIFFSize(plain, 4)},
		{"RIFF size cutting the chunk header", withRIFFSize(plain, 10)},
		{"RIFF size cutting the VP8L chunk", withRIFFSize(plain, 100)},
		{"RIFF size past the end of the file", withRIFFSize(plain, 1<<20)},
		{"not WEBP", append(append([]byte{}, plain[:8]...), append([]byte("WAVE"), plain[12:]...)...)},
		{"not RIFF", append([]byte("RIFX"), plain[4:]...)},
		{"cut in the RIFF header", plain[:10]},
		{"cut in a chunk header", riffWebP(vp8xChunk(0, 153, 55), vp8l)[:26]},
		{"cut in VP8X", riffWebP(vp8xChunk(0, 153, 55), vp8l)[:25]},
		{"cut in the VP8L data", plain[:200]},
		{"cut in an unknown chunk", withRIFFSize(riffWebP([]byte("ABCD0123456789")), 400)},
		{"cut at an odd chunk's padding", withRIFFSize(riffWebP([]byte("ABCDxyz"))[:23], 400)},
		{"odd chunk at the end of the RIFF size", withRIFFSize(riffWebP([]byte("ABCDxyz"), vp8l), 4+8+3)},
		{"lossy", riffWebP(vp8Chunk(16, 16, 10, 10))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { sameVerdict(t, tt.data) })
	}
}

// TestWebPContainerMutants flips every byte of the container's own fields
// (RIFF header, chunk headers, VP8X payload) of a file with metadata chunks
// to several values: the verdict and message stay golang.org/x/image/webp's.
func TestWebPContainerMutants(t *testing.T) {
	vp8l := gopherVP8L(t)
	file := riffWebP(vp8xChunk(0x20|0x10, 153, 55), []byte("ICCP\x01\x02\x03"), vp8l)
	// Offsets of the bytes that are not image data: RIFF header (0-11),
	// VP8X header and payload (12-29), ICCP header (30-37), its payload and
	// padding (38-41), VP8L header (42-49).
	for i := 0; i < 50; i++ {
		for _, v := range []byte{0x00, 0x01, 0x7f, 0x80, 0xff, file[i] ^ 0x01, file[i] + 1} {
			m := append([]byte{}, file...)
			m[i] = v
			sameVerdict(t, m)
		}
	}
}
