package scaledjpeg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Header is what the markers of a JPEG declare, read in one walk without
// decoding a scan: the frame, the colour model markers, the scans, and the
// metadata segments a thumbnail keeps (EXIF orientation, ICC profile). The
// caller reads it once per image; Decode and DecodeScaled take it instead
// of reading the headers again.
//
// The walk is lenient: stray bytes between markers are skipped, as decoders
// do, and a segment cut short counts for what is there. Deciding whether the
// file is valid is the decoders' job.
type Header struct {
	// Width and Height are from the first frame header (SOF).
	Width, Height int
	// Process is the first SOF marker (0xC0 baseline, 0xC1 extended, 0xC2
	// progressive, ...), 0 when there is none.
	Process byte
	// Precision is the sample precision in bits: 8, or 12 or 16.
	Precision int
	// Components are the frame's components in order, as declared.
	Components []Component
	// JFIF and Adobe note an APP0 JFIF and an APP14 Adobe segment;
	// AdobeTransform is the latter's colour transform (0 none, 1 YCbCr, 2 YCCK).
	JFIF, Adobe    bool
	AdobeTransform byte
	// Scans counts the start-of-scan markers of the whole file.
	Scans int
	// Exif is the payload of the first whole APP1 "Exif\0\0" segment before the
	// first scan, header included; nil when there is none.
	Exif []byte
	// iccChunks are the APP2 ICC_PROFILE segments before the first scan, in file order.
	iccChunks [][]byte
	// scales is whether the scaled decoders handle this kind (see Scales).
	scales bool
}

// Component is one colour component declared by the frame header.
type Component struct {
	ID   byte
	H, V int // sampling factors as declared, 0-15
}

// iccMarker starts the payload of an APP2 segment holding part of an ICC profile.
const iccMarker = "ICC_PROFILE\x00"

// ReadHeader walks the markers of data once, stepping over the entropy-coded
// data of each scan.
func ReadHeader(data []byte) Header {
	var (
		h       Header
		sofSeen bool // a frame header the scaled decoders read has been checked
		verdict = scaleUnknown
	)
	decide := func(v scaleVerdict) {
		if verdict == scaleUnknown {
			verdict = v
		}
	}
	beforeScan := true
walk:
	for i := 2; i+1 < len(data); {
		if data[i] != 0xFF { // entropy-coded data or a stray byte: on to the next marker
			next := bytes.IndexByte(data[i:], 0xFF)
			if next < 0 {
				break
			}
			i += next
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x00 || m == 0x01 || m >= markerRST0 && m <= markerSOI: // stuffed byte, TEM, RSTn, SOI
			i += 2
			continue
		case m == markerEOI:
			break walk
		}
		if i+4 > len(data) {
			break
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 {
			break
		}
		whole := i+2+n <= len(data)
		seg := data[i+4 : min(i+2+n, len(data))]
		switch {
		case m >= 0xC0 && m <= 0xCF && m != markerDHT && m != 0xC8 && m != 0xCC: // start of frame
			if beforeScan && m != markerSOF0 && m != markerSOF1 && m != markerSOF2 {
				decide(scaleNo) // lossless, hierarchical or arithmetic-coded
			}
			if h.Process == 0 && len(seg) >= 6 {
				h.readFrame(m, seg)
			}
			if beforeScan && !sofSeen && (m == markerSOF0 || m == markerSOF1 || m == markerSOF2) {
				sofSeen = true
				decide(frameVerdict(seg, whole))
			}
		case m == markerSOS:
			if beforeScan {
				decide(scaleYes)
			}
			beforeScan = false
			h.Scans++
		case m == markerAPP0 && bytes.HasPrefix(seg, []byte("JFIF\x00")):
			h.JFIF = true
		case m == markerAPPE && len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")):
			h.Adobe, h.AdobeTransform = true, seg[11]
		case m == 0xE1 && beforeScan && whole && h.Exif == nil && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			h.Exif = seg
		case m == 0xE2 && beforeScan && whole && bytes.HasPrefix(seg, []byte(iccMarker)):
			h.iccChunks = append(h.iccChunks, seg)
		}
		i += 2 + n
	}
	// A file that ends before its first scan is not refused here: as for
	// any other malformed file, the decoders give the verdict.
	h.scales = verdict != scaleNo
	return h
}

// readFrame reads a frame header's size, precision and components.
func (h *Header) readFrame(m byte, seg []byte) {
	h.Process = m
	h.Precision = int(seg[0])
	h.Height = int(binary.BigEndian.Uint16(seg[1:]))
	h.Width = int(binary.BigEndian.Uint16(seg[3:]))
	for c := seg[6:]; len(c) >= 3 && len(h.Components) < int(seg[5]); c = c[3:] {
		h.Components = append(h.Components, Component{ID: c[0], H: int(c[1] >> 4), V: int(c[1] & 15)})
	}
}

// scaleVerdict is what the headers say so far about the scaled decoders.
type scaleVerdict int

const (
	scaleUnknown scaleVerdict = iota
	scaleYes
	scaleNo
)

// frameVerdict tells from a frame header the scaled decoders read (SOF0-2)
// whether they handle the file, with the checks and in the order of
// processSOF: a header they would refuse as malformed leaves the verdict to
// the decoders (scaleYes), a kind they leave to image/jpeg is scaleNo, and a
// frame they read leaves it to the markers up to the first scan (scaleUnknown).
func frameVerdict(p []byte, whole bool) scaleVerdict {
	if !whole || len(p) < 6 {
		return scaleYes
	}
	if p[0] != 8 {
		return scaleNo
	}
	n := int(p[5])
	if binary.BigEndian.Uint16(p[1:]) == 0 || binary.BigEndian.Uint16(p[3:]) == 0 {
		return scaleYes
	}
	if n != 1 && n != 3 && n != 4 {
		return scaleNo
	}
	if len(p) != 6+3*n {
		return scaleYes
	}
	for i := 0; i < n; i++ {
		h, v, tq := int(p[7+3*i]>>4), int(p[7+3*i]&15), int(p[8+3*i])
		if h < 1 || h > 4 || v < 1 || v > 4 || tq > 3 {
			return scaleYes
		}
		for j := 0; j < i; j++ {
			if p[6+3*j] == p[6+3*i] {
				return scaleYes
			}
		}
	}
	if n > 1 {
		blocks := 0
		for i := 0; i < n; i++ {
			blocks += int(p[7+3*i]>>4) * int(p[7+3*i]&15)
		}
		if blocks > 10 {
			return scaleNo // more blocks an MCU than an interleaved scan may hold
		}
	}
	return scaleUnknown
}

// ForgetMetadata drops the header's references into the file's bytes (the
// EXIF payload and the ICC segments), so that a caller keeping the header
// does not keep the file: read Exif and ICCProfile first.
func (h *Header) ForgetMetadata() { h.Exif, h.iccChunks = nil, nil }

// Progressive reports a progressive frame (SOF2, SOF6, SOF10, SOF14).
func (h Header) Progressive() bool {
	switch h.Process {
	case 0xC2, 0xC6, 0xCA, 0xCE:
		return true
	}
	return false
}

// RGB tells, by image/jpeg's rule, whether three components are R, G, B
// rather than Y, Cb, Cr: JFIF means YCbCr; else an Adobe transform of 0, or
// components named 'R', 'G', 'B', mean RGB. Both the decoders and the
// memory estimate go by it.
func (h Header) RGB() bool {
	if len(h.Components) != 3 || h.JFIF {
		return false
	}
	if h.Adobe && h.AdobeTransform == 0 {
		return true
	}
	return h.Components[0].ID == 'R' && h.Components[1].ID == 'G' && h.Components[2].ID == 'B'
}

// Scales reports whether the scaled decoders handle the JPEG's kind: 8-bit
// Huffman-coded grey, YCbCr, RGB, CMYK or YCCK of up to 10 blocks an MCU.
// image/jpeg alone reads the others, at full size.
func (h Header) Scales() bool { return h.scales }

// ReducedScales reports whether Decode and DecodeScaled read the file at 1/2
// and 1/4 of its size (grey and YCbCr, with jpegn), not only at 1/8. jpegn
// gets RGB and 4-component files wrong: Decode reads those at 1/8 from the
// DC coefficients alone, and at 1/2 and 1/4 gives image/jpeg's full-size
// picture (when full-size decodes are allowed) or the 1/8 one.
func (h Header) ReducedScales() bool {
	return h.scales && len(h.Components) != 4 && !h.RGB()
}

// ICCProfile returns the embedded ICC profile, its APP2 segments joined in
// sequence order; nil, nil when there is none. Segments that do not make one
// whole profile (a sequence number missing, repeated or out of range, counts
// that disagree), which libjpeg's read_icc_profile also refuses, are an
// error saying which. The result is a new slice.
func (h Header) ICCProfile() ([]byte, error) {
	if len(h.iccChunks) == 0 {
		return nil, nil
	}
	const head = len(iccMarker) + 2 // marker, sequence number, count
	count := 0
	for _, c := range h.iccChunks {
		if len(c) < head {
			return nil, errors.New("ICC_PROFILE segment without its sequence number and count")
		}
		n := int(c[len(iccMarker)+1])
		switch {
		case n == 0:
			return nil, errors.New("ICC_PROFILE segment count 0")
		case count != 0 && n != count:
			return nil, fmt.Errorf("ICC_PROFILE segments disagree on their count (%d, %d)", count, n)
		}
		count = n
	}
	parts := make([][]byte, count)
	size := 0
	for _, c := range h.iccChunks {
		seq := int(c[len(iccMarker)])
		switch {
		case seq < 1 || seq > count:
			return nil, fmt.Errorf("ICC_PROFILE segment %d of %d", seq, count)
		case parts[seq-1] != nil:
			return nil, fmt.Errorf("ICC_PROFILE segment %d repeated", seq)
		}
		parts[seq-1] = c[head:]
		size += len(c) - head
	}
	for i, p := range parts {
		if p == nil {
			return nil, fmt.Errorf("ICC_PROFILE segment %d of %d missing", i+1, count)
		}
	}
	profile := make([]byte, 0, size)
	for _, p := range parts {
		profile = append(profile, p...)
	}
	return profile, nil
}
