package demo

import (
	"encoding/binary"
	"errors"
)

// withOrientation inserts an EXIF APP1 segment holding only an Orientation tag right
// after the JPEG's start-of-image marker, as a phone camera writes it for a picture taken
// in portrait. Go has no EXIF writer in the standard library or x/image, and the segment
// is a fixed 32 bytes, so it is written here rather than pulling in an EXIF library.
func withOrientation(jpegData []byte, orientation uint16) ([]byte, error) {
	if len(jpegData) < 2 || jpegData[0] != 0xFF || jpegData[1] != 0xD8 {
		return nil, errors.New("not a JPEG: no start-of-image marker")
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00")            // little-endian TIFF header
	tiff = le.AppendUint32(tiff, 8)      // IFD0 follows the header
	tiff = le.AppendUint16(tiff, 1)      // one entry:
	tiff = le.AppendUint16(tiff, 0x0112) // Orientation
	tiff = le.AppendUint16(tiff, 3)      // of type SHORT
	tiff = le.AppendUint32(tiff, 1)      // count 1
	tiff = le.AppendUint16(tiff, orientation)
	tiff = le.AppendUint16(tiff, 0) // value padded to 4 bytes
	tiff = le.AppendUint32(tiff, 0) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	segment := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	out := make([]byte, 0, len(jpegData)+len(segment)+len(payload))
	out = append(out, jpegData[:2]...)
	out = append(out, segment...)
	out = append(out, payload...)
	return append(out, jpegData[2:]...), nil
}
