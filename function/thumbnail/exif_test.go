package thumbnail

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/pngstream"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/scaledjpeg"
)

// tiffWithOrientation builds a minimal TIFF structure whose first IFD holds
// the orientation tag with the given type and value, after one unrelated tag.
func tiffWithOrientation(order binary.AppendByteOrder, typ uint16, value uint32) []byte {
	var b []byte
	if order == binary.LittleEndian {
		b = []byte("II")
	} else {
		b = []byte("MM")
	}
	b = order.AppendUint16(b, 42)
	b = order.AppendUint32(b, 8) // first IFD right after the header
	b = order.AppendUint16(b, 2) // two entries
	// ImageDescription (0x010E), ASCII, count 4, inline "abc\0".
	b = order.AppendUint16(b, 0x010E)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint32(b, 4)
	b = append(b, "abc\x00"...)
	// Orientation.
	b = order.AppendUint16(b, tagOrientation)
	b = order.AppendUint16(b, typ)
	b = order.AppendUint32(b, 1)
	if typ == tiffShort {
		b = order.AppendUint16(b, uint16(value))
		b = append(b, 0, 0)
	} else {
		b = order.AppendUint32(b, value)
	}
	return order.AppendUint32(b, 0) // no next IFD
}

func TestTIFFOrientation(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	valid := tiffWithOrientation(be, tiffShort, 6)
	tests := []struct {
		name string
		tiff []byte
		want int
	}{
		{"little endian short", tiffWithOrientation(le, tiffShort, 6), 6},
		{"big endian short", valid, 6},
		{"long", tiffWithOrientation(le, tiffLong, 8), 8},
		{"each value", tiffWithOrientation(be, tiffShort, 3), 3},
		{"value 0 is not an orientation", tiffWithOrientation(le, tiffShort, 0), 1},
		{"value 9 is not an orientation", tiffWithOrientation(le, tiffShort, 9), 1},
		{"wrong type", tiffWithOrientation(le, 2, 6), 1},
		{"empty", nil, 1},
		{"bad byte order", append([]byte("XX"), valid[2:]...), 1},
		{"bad magic", append([]byte("MM\x00\x2B"), valid[4:]...), 1},
		{"ifd past the end", append(valid[:4:4], 0xFF, 0xFF, 0xFF, 0xF0), 1},
		{"entries cut short", valid[:len(valid)-12], 1},
		{"entry count larger than the data", append(valid[:8:8], 0xFF, 0xFF), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tiffOrientation(tt.tiff); got != tt.want {
				t.Errorf("orientation %d, want %d", got, tt.want)
			}
		})
	}
}

// jpegSegment returns marker FF<m> with its length and payload.
func jpegSegment(m byte, payload []byte) []byte {
	return append(binary.BigEndian.AppendUint16([]byte{0xFF, m}, uint16(len(payload)+2)), payload...)
}

func TestOrientationOfContainers(t *testing.T) {
	exif := append([]byte("Exif\x00\x00"), tiffWithOrientation(binary.BigEndian, tiffShort, 6)...)
	soi, sos := []byte{0xFF, 0xD8}, []byte{0xFF, 0xDA, 0x00, 0x02}
	concat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	pngChunks := func(chunks ...[2]string) []byte {
		var b bytes.Buffer
		b.WriteString("\x89PNG\r\n\x1a\n")
		for _, c := range chunks {
			writePNGChunk(&b, c[0], []byte(c[1]))
		}
		return b.Bytes()
	}
	tests := []struct {
		name   string
		format Format
		data   []byte
		want   int
	}{
		{"jpeg app1 first", JPEG, concat(soi, jpegSegment(0xE1, exif), sos), 6},
		{"jpeg app1 after app0 and fill bytes", JPEG, concat(soi, jpegSegment(0xE0, []byte("JFIF\x00")), []byte{0xFF}, jpegSegment(0xE1, exif), sos), 6},
		{"jpeg xmp app1 skipped", JPEG, concat(soi, jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00")), jpegSegment(0xE1, exif), sos), 6},
		{"jpeg exif after the scan ignored", JPEG, concat(soi, sos, jpegSegment(0xE1, exif)), 1},
		{"jpeg segment longer than the data", JPEG, concat(soi, jpegSegment(0xE1, exif))[:20], 1},
		// Decoders skip stray bytes between segments, and so does the header walk.
		{"jpeg garbage between segments", JPEG, concat(soi, []byte{0x12, 0x34}, jpegSegment(0xE1, exif)), 6},
		{"jpeg without exif", JPEG, concat(soi, jpegSegment(0xE0, []byte("JFIF\x00")), sos), 1},
		{"png exif", PNG, pngChunks([2]string{"IHDR", "0123456789abc"}, [2]string{"eXIf", string(exif[6:])}, [2]string{"IEND", ""}), 6},
		{"png exif with exif header", PNG, pngChunks([2]string{"eXIf", string(exif)}), 6},
		{"png exif after iend ignored", PNG, pngChunks([2]string{"IEND", ""}, [2]string{"eXIf", string(exif[6:])}), 1},
		{"png chunk longer than the data", PNG, pngChunks([2]string{"eXIf", string(exif[6:])})[:30], 1},
		{"webp exif", WebP, riffWebP(vp8xChunk(8, 1, 1), append([]byte("EXIF"), exif[6:]...)), 6},
		{"webp exif after an odd chunk", WebP, riffWebP([]byte("ICCPabc"), append([]byte("EXIF"), exif...)), 6},
		{"webp chunk longer than the data", WebP, riffWebP(append([]byte("EXIF"), exif[6:]...))[:24], 1},
		{"gif has no exif", GIF, append([]byte("GIF89a"), exif...), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := orientationOf(tt.format, tt.data); got != tt.want {
				t.Errorf("orientation %d, want %d", got, tt.want)
			}
		})
	}
}

// orientationOf is the orientation each format's header walk finds in data,
// without the standard library's header check the fragments here would fail.
func orientationOf(f Format, data []byte) int {
	switch f {
	case JPEG:
		return exifOrientation(scaledjpeg.ReadHeader(data).Exif)
	case PNG:
		return exifOrientation(pngstream.ReadHeader(data).Exif)
	case WebP:
		return exifOrientation(walkWebP(data).exif)
	}
	return orientNormal
}
