// Package icc reads ICC colour profiles (versions 2 and 4) and converts
// pixels described by them to sRGB, as LittleCMS does with the perceptual
// intent into its built-in sRGB profile. It handles RGB matrix/TRC profiles,
// grey profiles and LUT-based profiles (lut8, lut16 and lutAtoB tables, such
// as CMYK press profiles). Every size and offset a profile declares is checked
// against the profile's bytes and the limits in limits.go before anything is
// allocated; no input makes it panic.
package icc

import "encoding/binary"

// ColorSpace is a profile's device colour space signature.
type ColorSpace uint32

// Device colour spaces this package converts from.
const (
	SpaceRGB  ColorSpace = 0x52474220 // 'RGB '
	SpaceGray ColorSpace = 0x47524159 // 'GRAY'
	SpaceCMYK ColorSpace = 0x434D594B // 'CMYK'
)

// Channels is the number of device channels of the space, 0 if unsupported.
func (c ColorSpace) Channels() int {
	switch c {
	case SpaceRGB:
		return 3
	case SpaceGray:
		return 1
	case SpaceCMYK:
		return 4
	}
	return 0
}

// String names the space by its signature.
func (c ColorSpace) String() string { return sigString(uint32(c)) }

// Tag and type signatures used here.
const (
	sigXYZPCS   = 0x58595A20 // 'XYZ '
	sigLabPCS   = 0x4C616220 // 'Lab '
	sigLinkCls  = 0x6C696E6B // 'link'
	sigAbstract = 0x61627374 // 'abst'
	sigNamed    = 0x6E6D636C // 'nmcl'

	tagA2B0 = 0x41324230
	tagA2B1 = 0x41324231
	tagRXYZ = 0x7258595A
	tagGXYZ = 0x6758595A
	tagBXYZ = 0x6258595A
	tagRTRC = 0x72545243
	tagGTRC = 0x67545243
	tagBTRC = 0x62545243
	tagKTRC = 0x6B545243
	tagDesc = 0x64657363
)

// headerSize is the fixed ICC header; the tag count follows it.
const headerSize = 128

// Profile is a parsed ICC profile: its header fields and its tags, which
// point into the bytes it was parsed from.
type Profile struct {
	// Space is the device colour space.
	Space ColorSpace
	// Major and Minor are the profile version.
	Major, Minor int
	class, pcs   uint32
	tags         map[uint32][]byte
}

// Parse reads the header and tag table of an ICC profile. The tags are
// checked and decoded later, when a transform is built from them.
func Parse(data []byte) (*Profile, error) {
	if len(data) > MaxProfileBytes {
		return nil, malformed("profile of %d bytes, limit %d", len(data), MaxProfileBytes)
	}
	if len(data) < headerSize+4 {
		return nil, malformed("profile of %d bytes is shorter than its header", len(data))
	}
	if string(data[36:40]) != "acsp" {
		return nil, malformed("no 'acsp' signature")
	}
	size := int(min(uint64(binary.BigEndian.Uint32(data)), uint64(len(data))))
	if size < headerSize+4 {
		return nil, malformed("profile declares %d bytes, shorter than its header", size)
	}
	data = data[:size]
	p := &Profile{
		Space: ColorSpace(binary.BigEndian.Uint32(data[16:])),
		Major: int(data[8]),
		Minor: int(data[9] >> 4),
		class: binary.BigEndian.Uint32(data[12:]),
		pcs:   binary.BigEndian.Uint32(data[20:]),
	}
	n := binary.BigEndian.Uint32(data[headerSize:])
	if n > maxTags {
		return nil, malformed("%d tags, limit %d", n, maxTags)
	}
	if uint64(headerSize+4)+uint64(n)*12 > uint64(size) {
		return nil, malformed("tag table of %d entries runs past the %d-byte profile", n, size)
	}
	p.tags = make(map[uint32][]byte, n)
	for i := range int(n) {
		e := data[headerSize+4+12*i:]
		sig := binary.BigEndian.Uint32(e)
		off := uint64(binary.BigEndian.Uint32(e[4:]))
		ln := uint64(binary.BigEndian.Uint32(e[8:]))
		if off+ln > uint64(size) || ln < 8 {
			// LittleCMS skips such entries too; a tag that is needed and
			// missing is reported when the transform is built.
			continue
		}
		if _, dup := p.tags[sig]; !dup {
			p.tags[sig] = data[off : off+ln]
		}
	}
	return p, nil
}

// tag returns the bytes of tag sig and its type signature.
func (p *Profile) tag(sig uint32) ([]byte, uint32, bool) {
	b, ok := p.tags[sig]
	if !ok {
		return nil, 0, false
	}
	return b, binary.BigEndian.Uint32(b), true
}

// has reports whether the profile has every tag in sigs.
func (p *Profile) has(sigs ...uint32) bool {
	for _, s := range sigs {
		if _, ok := p.tags[s]; !ok {
			return false
		}
	}
	return true
}

// isMatrixShaper reports whether the profile has the tags of a matrix/TRC
// (RGB) or TRC (grey) model, as LittleCMS's cmsIsMatrixShaper.
func (p *Profile) isMatrixShaper() bool {
	switch p.Space {
	case SpaceGray:
		return p.has(tagKTRC)
	case SpaceRGB:
		return p.has(tagRXYZ, tagGXYZ, tagBXYZ, tagRTRC, tagGTRC, tagBTRC)
	}
	return false
}

// sigString spells a signature as its four characters.
func sigString(s uint32) string {
	b := []byte{byte(s >> 24), byte(s >> 16), byte(s >> 8), byte(s)}
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// s15f16 decodes a signed 15.16 fixed-point number.
func s15f16(b []byte) float64 {
	return float64(int32(binary.BigEndian.Uint32(b))) / 65536
}
