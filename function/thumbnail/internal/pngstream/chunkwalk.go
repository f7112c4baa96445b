package pngstream

import "encoding/binary"

// Header is what the chunks of a PNG declare, read in one walk without
// inflating anything: the image header, what the decode budget needs, and
// the metadata a thumbnail keeps (EXIF orientation, ICC profile, colour
// chunks). The caller reads it once per image; the streaming decision
// (Streams) comes from it rather than from a second read of the chunks.
//
// The walk is lenient: CRCs are not checked and a chunk cut short by the end
// of the data counts for what is there. Deciding whether the file is valid
// is the decoders' job.
type Header struct {
	// Width, Height, Depth, ColorType and Interlaced are IHDR's fields.
	Width, Height int64
	Depth         byte
	ColorType     byte
	Interlaced    bool
	// Transparency notes a tRNS chunk.
	Transparency bool
	// DataBytes is the image data present: the IDAT payloads, summed.
	DataBytes int64
	// Exif is the payload of the whole eXIf chunk, nil when there is none.
	Exif []byte
	// ICCName and ICCData are the profile name and the zlib-compressed
	// profile of the whole iCCP chunk; ICCData is nil when there is none.
	// ICCMalformed notes an iCCP chunk without a name and compression method 0.
	ICCName      string
	ICCData      []byte
	ICCMalformed bool
	// SRGB, Gamma and Chromaticities note sRGB, gAMA and cHRM chunks, which
	// describe the colour space when there is no ICC profile.
	SRGB, Gamma, Chromaticities bool
	// GammaValue is gAMA's value (the file gamma times 100000, 45455 for
	// 1/2.2); ChromaticityValues are cHRM's white, red, green and blue x and
	// y, each times 100000. Zero when the chunk is absent or of the wrong size.
	GammaValue         uint32
	ChromaticityValues [8]uint32
	// streams is whether DecodeShrunk handles the file's kind (see Streams).
	streams bool
}

// ReadHeader reads IHDR and walks the chunks after it, up to IEND.
func ReadHeader(data []byte) Header {
	const ihdrEnd = 8 + 8 + 13
	if len(data) < ihdrEnd {
		return Header{}
	}
	h := Header{
		Width:      int64(binary.BigEndian.Uint32(data[16:])),
		Height:     int64(binary.BigEndian.Uint32(data[20:])),
		Depth:      data[24],
		ColorType:  data[25],
		Interlaced: data[28] == 1,
	}
	h.streams = string(data[:len(signature)]) == signature && ihdrStreams(data[8:ihdrEnd])
	for i := 8; i+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[i:]))
		present := min(n, int64(len(data)-i-8))
		whole := n <= int64(len(data)-i-12) // payload and CRC
		payload := data[i+8 : i+8+int(max(present, 0))]
		switch string(data[i+4 : i+8]) {
		case "IDAT":
			h.DataBytes += present
		case "tRNS":
			h.Transparency = true
		case "eXIf":
			if whole && h.Exif == nil {
				h.Exif = payload
			}
		case "iCCP":
			if whole && h.ICCData == nil {
				h.readICC(payload)
			}
		case "sRGB":
			h.SRGB = true
		case "gAMA":
			h.Gamma = true
			if whole && n == 4 {
				h.GammaValue = binary.BigEndian.Uint32(payload)
			}
		case "cHRM":
			h.Chromaticities = true
			if whole && n == 32 {
				for k := range h.ChromaticityValues {
					h.ChromaticityValues[k] = binary.BigEndian.Uint32(payload[4*k:])
				}
			}
		case "IEND":
			return h
		}
		if present < n {
			break
		}
		i += 12 + int(n)
	}
	return h
}

// readICC splits an iCCP payload into the profile name, 1-79 bytes ending in
// a zero byte, and the compressed profile after the compression method byte
// (0, zlib, the only one defined). A malformed chunk is noted as such.
func (h *Header) readICC(p []byte) {
	for i := 1; i < len(p) && i <= 79; i++ {
		if p[i] == 0 {
			if i+1 < len(p) && p[i+1] == 0 {
				h.ICCName, h.ICCData = string(p[:i]), p[i+2:]
				return
			}
			break
		}
	}
	h.ICCMalformed = true
}

// ihdrStreams tells from an IHDR chunk (length, type and 13 bytes of data)
// whether DecodeShrunk handles the file, with the checks and in the order of
// readHeader: an IHDR it would refuse as malformed leaves the verdict to the
// decoder (true), interlaced images are not streamed.
func ihdrStreams(ihdr []byte) bool {
	if string(ihdr[4:8]) != "IHDR" || binary.BigEndian.Uint32(ihdr) != 13 {
		return true
	}
	p := ihdr[8:]
	w, hgt := binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:])
	if w == 0 || hgt == 0 || w > 1<<24 || hgt > 1<<24 || p[10] != 0 || p[11] != 0 || p[12] > 1 {
		return true
	}
	return p[12] == 0
}

// Streams reports whether the PNG is of a kind DecodeShrunk handles, from the
// chunks before its image data; image/png alone reads the others, at full size.
func (h Header) Streams() bool { return h.streams }
