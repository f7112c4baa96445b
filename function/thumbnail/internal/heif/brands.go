package heif

// brandCodecs are the ftyp brands of still HEIF images and the codec each
// names; mif1 and msf1 name none (any codec may follow).
var brandCodecs = map[string]Codec{
	"heic": HEVC, "heix": HEVC, "hevc": HEVC, "hevx": HEVC, "heim": HEVC, "heis": HEVC,
	"avif": AV1, "avis": AV1,
	"mif1": "", "msf1": "",
}

// Sniff reports whether data starts with an ftyp box naming a HEIF brand,
// and the codec the brands name: the major brand's first, else the first
// compatible brand's, else "" (mif1 alone: Parse tells).
func Sniff(data []byte) (codec Codec, ok bool) {
	major, compatible, found := ftypBrands(data)
	if !found {
		return "", false
	}
	c, known := brandCodecs[major]
	for _, b := range compatible {
		bc, k := brandCodecs[b]
		known = known || k
		if c == "" {
			c = bc
		}
	}
	return c, known
}

// ftypBrands reads the brands of an ftyp box at the start of data.
func ftypBrands(data []byte) (major string, compatible []string, ok bool) {
	if len(data) < 16 || string(data[4:8]) != "ftyp" {
		return "", nil, false
	}
	size := int(uint32(data[0])<<24 | uint32(data[1])<<16 | uint32(data[2])<<8 | uint32(data[3]))
	if size < 16 || size > len(data) || size > 1024 {
		return "", nil, false
	}
	major = string(data[8:12])
	for off := 16; off+4 <= size; off += 4 {
		compatible = append(compatible, string(data[off:off+4]))
	}
	return major, compatible, true
}
