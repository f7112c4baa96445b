package thumbnail

import (
	"bytes"
	"encoding/binary"
)

// This file reads one EXIF field, the orientation, and nothing else. It is
// written here rather than taken from an EXIF library because the maintained
// ones parse every tag, maker notes included, and bring far more code and
// attack surface than one 16-bit value needs. Every read is bounds-checked and
// every loop advances, so hostile bytes yield "no orientation", never a panic.

const (
	tagOrientation = 0x0112
	tiffShort      = 3
	tiffLong       = 4
)

// exifHeader prefixes the TIFF structure inside a JPEG APP1 segment; some
// writers also put it in PNG eXIf and WebP EXIF chunks.
var exifHeader = []byte("Exif\x00\x00")

// exifOrientation returns the EXIF orientation (1-8) of an EXIF payload as
// the formats store it (a JPEG APP1 segment, a PNG eXIf or WebP EXIF chunk,
// with or without the "Exif\0\0" header), 1 when absent or unreadable. Each
// format's header walk finds the payload; this reads it.
func exifOrientation(payload []byte) int {
	return tiffOrientation(bytes.TrimPrefix(payload, exifHeader))
}

// tiffOrientation reads tag 0x0112 from the first IFD of a TIFF structure.
func tiffOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return orientNormal
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return orientNormal
	}
	if order.Uint16(tiff[2:]) != 42 {
		return orientNormal
	}
	ifd := int64(order.Uint32(tiff[4:]))
	if ifd > int64(len(tiff)-2) {
		return orientNormal
	}
	count := int(order.Uint16(tiff[ifd:]))
	for k := 0; k < count; k++ {
		e := int(ifd) + 2 + 12*k
		if e+12 > len(tiff) {
			break
		}
		if order.Uint16(tiff[e:]) != tagOrientation {
			continue
		}
		var v uint32
		switch order.Uint16(tiff[e+2:]) {
		case tiffShort:
			v = uint32(order.Uint16(tiff[e+8:]))
		case tiffLong:
			v = order.Uint32(tiff[e+8:])
		default:
			return orientNormal
		}
		if v < orientNormal || v > orientRotate270 {
			return orientNormal
		}
		return int(v)
	}
	return orientNormal
}
