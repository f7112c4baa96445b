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

// orientationOf returns the EXIF orientation (1-8) stored in data, 1 when absent or unreadable.
func orientationOf(f Format, data []byte) int {
	var tiff []byte
	switch f {
	case JPEG:
		tiff = jpegExif(data)
	case PNG:
		tiff = pngExif(data)
	case WebP:
		tiff = webpExif(data)
	case HEIC, AVIF:
		s, err := readHEIF(f, data)
		if err != nil {
			return orientNormal
		}
		return s.orientation
	}
	return tiffOrientation(bytes.TrimPrefix(tiff, exifHeader))
}

// jpegExif returns the payload of the first APP1 Exif segment before the image data.
func jpegExif(data []byte) []byte {
	const (
		markerAPP1 = 0xE1
		markerSOS  = 0xDA
		markerEOI  = 0xD9
	)
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == markerSOS || marker == markerEOI:
			return nil
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD7: // markers without a length
			i += 2
			continue
		}
		length := int(binary.BigEndian.Uint16(data[i+2:]))
		if length < 2 || i+2+length > len(data) {
			return nil
		}
		segment := data[i+4 : i+2+length]
		if marker == markerAPP1 && bytes.HasPrefix(segment, exifHeader) {
			return segment
		}
		i += 2 + length
	}
	return nil
}

// pngExif returns the payload of the eXIf chunk.
func pngExif(data []byte) []byte {
	for i := 8; i+12 <= len(data); {
		length := int64(binary.BigEndian.Uint32(data[i:]))
		kind := string(data[i+4 : i+8])
		if length > int64(len(data)-i-12) {
			return nil
		}
		switch kind {
		case "eXIf":
			return data[i+8 : i+8+int(length)]
		case "IEND":
			return nil
		}
		i += 12 + int(length)
	}
	return nil
}

// webpExif returns the payload of the EXIF chunk of a RIFF WebP container.
func webpExif(data []byte) []byte {
	for i := 12; i+8 <= len(data); {
		size := int64(binary.LittleEndian.Uint32(data[i+4:]))
		if size > int64(len(data)-i-8) {
			return nil
		}
		if string(data[i:i+4]) == "EXIF" {
			return data[i+8 : i+8+int(size)]
		}
		i += 8 + int(size) + int(size&1) // chunks are padded to an even size
	}
	return nil
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
