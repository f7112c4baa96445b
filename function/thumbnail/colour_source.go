package thumbnail

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zlib"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/icc"
)

// colourSourceOf reads what the source's container says about its colour
// space: the embedded ICC profile, and PNG's sRGB, gAMA and cHRM chunks.
func colourSourceOf(f Format, data []byte) colourSource {
	var src colourSource
	switch f {
	case JPEG:
		src.profile, src.profileErr = jpegICC(data)
	case PNG:
		src = pngColour(data)
	case WebP:
		src.profile = webpICC(data)
	}
	return src
}

// iccSignature starts the payload of a JPEG APP2 segment holding a part of
// an ICC profile, followed by the part's sequence number and the count.
var iccSignature = []byte("ICC_PROFILE\x00")

// jpegICC reassembles the ICC profile from the APP2 segments before the
// image data, in sequence order. Missing, repeated or inconsistent parts
// are an error; no segment is no profile.
func jpegICC(data []byte) ([]byte, error) {
	var parts [256][]byte
	count := 0
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			break
		}
		marker := data[i+1]
		if marker == 0xFF {
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // SOS, EOI
			break
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 {
			i += 2
			continue
		}
		length := int(binary.BigEndian.Uint16(data[i+2:]))
		if length < 2 || i+2+length > len(data) {
			break
		}
		seg := data[i+4 : i+2+length]
		if marker == 0xE2 && bytes.HasPrefix(seg, iccSignature) && len(seg) >= len(iccSignature)+2 {
			seq, n := int(seg[len(iccSignature)]), int(seg[len(iccSignature)+1])
			switch {
			case n == 0 || seq == 0 || seq > n:
				return nil, fmt.Errorf("ICC_PROFILE segment %d of %d", seq, n)
			case count != 0 && n != count:
				return nil, fmt.Errorf("ICC_PROFILE segments disagree on their count (%d, %d)", count, n)
			case parts[seq-1] != nil:
				return nil, fmt.Errorf("ICC_PROFILE segment %d repeated", seq)
			}
			count = n
			parts[seq-1] = seg[len(iccSignature)+2:]
		}
		i += 2 + length
	}
	if count == 0 {
		return nil, nil
	}
	var profile []byte
	for k := range count {
		if parts[k] == nil {
			return nil, fmt.Errorf("ICC_PROFILE segment %d of %d missing", k+1, count)
		}
		profile = append(profile, parts[k]...)
	}
	return profile, nil
}

// pngColour reads the iCCP, sRGB, gAMA and cHRM chunks before the image data.
func pngColour(data []byte) colourSource {
	var src colourSource
	for i := 8; i+12 <= len(data); {
		length := int64(binary.BigEndian.Uint32(data[i:]))
		if length > int64(len(data)-i-12) {
			break
		}
		body := data[i+8 : i+8+int(length)]
		switch string(data[i+4 : i+8]) {
		case "IDAT", "IEND":
			return src
		case "iCCP":
			src.profile, src.profileErr = inflateICCP(body)
		case "sRGB":
			src.pngSRGB = true
		case "gAMA":
			if len(body) == 4 {
				if g := binary.BigEndian.Uint32(body); g > 0 {
					src.pngGamma = 100000 / float64(g)
				}
			}
		case "cHRM":
			if len(body) == 32 {
				var c [8]float64
				for k := range c {
					c[k] = float64(binary.BigEndian.Uint32(body[4*k:])) / 100000
				}
				src.pngChrm = &c
			}
		}
		i += 12 + int(length)
	}
	return src
}

// inflateICCP returns the profile of an iCCP chunk: a name of 1-79 bytes,
// a NUL, compression method 0 and a zlib stream, inflated to at most
// icc.MaxProfileBytes.
func inflateICCP(body []byte) ([]byte, error) {
	nul := bytes.IndexByte(body, 0)
	if nul < 1 || nul > 79 || nul+2 > len(body) || body[nul+1] != 0 {
		return nil, errors.New("iCCP chunk without a name and compression method 0")
	}
	zr, err := zlib.NewReader(bytes.NewReader(body[nul+2:]))
	if err != nil {
		return nil, fmt.Errorf("iCCP: %v", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, icc.MaxProfileBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("iCCP: %v", err)
	case len(out) > icc.MaxProfileBytes:
		return nil, fmt.Errorf("iCCP inflates past %d bytes", icc.MaxProfileBytes)
	}
	return out, nil
}

// webpICC returns the payload of the ICCP chunk of a RIFF WebP container.
func webpICC(data []byte) []byte {
	for i := 12; i+8 <= len(data); {
		size := int64(binary.LittleEndian.Uint32(data[i+4:]))
		if size > int64(len(data)-i-8) {
			return nil
		}
		switch string(data[i : i+4]) {
		case "ICCP":
			return data[i+8 : i+8+int(size)]
		case "VP8 ", "VP8L", "ANMF":
			return nil
		}
		i += 8 + int(size) + int(size&1)
	}
	return nil
}
