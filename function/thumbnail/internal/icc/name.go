package icc

import (
	"encoding/binary"
	"math"
	"strings"
	"unicode/utf16"
)

// knownSpaces are recognised from a matrix/TRC profile's colorants, so a
// profile gets its common name whatever its description says.
var knownSpaces = []struct {
	name      string
	colorants mat3
}{
	{"sRGB", srgbToXYZ},
	{"Display P3", rgbToXYZD50([2]float64{0.680, 0.320}, [2]float64{0.265, 0.690}, [2]float64{0.150, 0.060}, whiteD65)},
	{"Adobe RGB (1998)", rgbToXYZD50([2]float64{0.640, 0.330}, [2]float64{0.210, 0.710}, [2]float64{0.150, 0.060}, whiteD65)},
	{"ProPhoto RGB", rgbToXYZD50([2]float64{0.7347, 0.2653}, [2]float64{0.1596, 0.8404}, [2]float64{0.0366, 0.0001}, [2]float64{0.3457, 0.3585})},
	{"Rec. 2020", rgbToXYZD50([2]float64{0.708, 0.292}, [2]float64{0.170, 0.797}, [2]float64{0.131, 0.046}, whiteD65)},
}

// Name is a short name of the profile's colour space for metadata: the
// common name of a recognised RGB space (by its colorants: sRGB, Display
// P3, Adobe RGB (1998), ProPhoto RGB, Rec. 2020), else the profile's own
// description, cleaned to printable ASCII and at most 64 characters, else
// the device space ("RGB", "GRAY", "CMYK").
func (p *Profile) Name() string {
	if p.Space == SpaceRGB && p.isMatrixShaper() {
		if m, _, err := p.matrixShaper(); err == nil {
			for _, k := range knownSpaces {
				if closeMatrix(m, k.colorants, 0.002) {
					return k.name
				}
			}
		}
	}
	if d := p.Description(); d != "" {
		return d
	}
	return strings.TrimSpace(p.Space.String())
}

// closeMatrix reports whether every element of a and b is within tol.
func closeMatrix(a, b mat3, tol float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}

// Description returns the profile's description tag (textDescription in
// version 2, the first localized string in version 4), cleaned to printable
// ASCII and at most 64 characters; "" when it has none.
func (p *Profile) Description() string {
	b, typ, ok := p.tag(tagDesc)
	if !ok || len(b) < 12 {
		return ""
	}
	var s string
	switch typ {
	case 0x64657363: // 'desc': ASCII count, then the string with its NUL
		n := uint64(binary.BigEndian.Uint32(b[8:]))
		s = string(b[12 : 12+min(n, uint64(len(b)-12))])
	case 0x6D6C7563: // 'mluc'
		s = firstMLUC(b)
	}
	return cleanName(s)
}

// firstMLUC returns the first string of a multiLocalizedUnicode tag,
// preferring English.
func firstMLUC(b []byte) string {
	if len(b) < 16 {
		return ""
	}
	n := binary.BigEndian.Uint32(b[8:])
	size := binary.BigEndian.Uint32(b[12:])
	if size < 12 || n == 0 || n > maxMLUCRecords || 16+uint64(n)*uint64(size) > uint64(len(b)) {
		return ""
	}
	pick := 0
	for i := range int(n) {
		if string(b[16+i*int(size):][:2]) == "en" {
			pick = i
			break
		}
	}
	r := b[16+pick*int(size):]
	ln, off := uint64(binary.BigEndian.Uint32(r[4:])), uint64(binary.BigEndian.Uint32(r[8:]))
	if off+ln > uint64(len(b)) {
		return ""
	}
	raw := b[off : off+ln]
	u := make([]uint16, min(len(raw)/2, 4*maxNameLen))
	for i := range u {
		u[i] = binary.BigEndian.Uint16(raw[2*i:])
	}
	return string(utf16.Decode(u))
}

// cleanName keeps printable ASCII, collapses spaces, drops a file
// extension (".icc", ".icm") and cuts to maxNameLen, so the name is safe in a
// metadata header and a log line.
func cleanName(s string) string {
	s = strings.TrimRight(s, "\x00 ")
	for _, ext := range []string{".icc", ".ICC", ".icm", ".ICM"} {
		s = strings.TrimSuffix(s, ext)
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == 0 {
			break
		}
		if r < 0x20 || r > 0x7e || r == ' ' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		if b.Len() >= maxNameLen {
			break
		}
	}
	return b.String()
}
