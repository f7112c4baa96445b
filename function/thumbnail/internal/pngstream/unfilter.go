package pngstream

// Row filter types, PNG specification section 9.2.
const (
	filterNone    = 0
	filterSub     = 1
	filterUp      = 2
	filterAverage = 3
	filterPaeth   = 4
)

// unfilter reverses the filter of one row in place. cur and prev are the
// row and the one above it (all zeros for the first row), bpp the bytes per
// pixel.
func unfilter(filter byte, cur, prev []byte, bpp int) error {
	switch filter {
	case filterNone:
	case filterSub:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case filterUp:
		prev = prev[:len(cur)]
		for i, p := range prev {
			cur[i] += p
		}
	case filterAverage:
		switch bpp {
		case 3:
			unfilterAverage3(cur, prev)
		case 4:
			unfilterAverage4(cur, prev)
		default:
			for i := 0; i < bpp; i++ {
				cur[i] += prev[i] / 2
			}
			for i := bpp; i < len(cur); i++ {
				cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
			}
		}
	case filterPaeth:
		unfilterPaeth(cur, prev, bpp)
	default:
		return formatError("row filter %d", filter)
	}
	return nil
}

// unfilterPaeth reverses the Paeth filter one channel at a time, carrying the
// left and upper-left samples in registers.
func unfilterPaeth(cur, prev []byte, bpp int) {
	for c := 0; c < bpp; c++ {
		var a, b, cc int // left, up, up-left
		for i := c; i < len(cur); i += bpp {
			b = int(prev[i])
			pa := b - cc
			pb := a - cc
			pc := pa + pb
			if pa < 0 {
				pa = -pa
			}
			if pb < 0 {
				pb = -pb
			}
			if pc < 0 {
				pc = -pc
			}
			pred := a
			if pb < pa {
				pred, pa = b, pb
			}
			if pc < pa {
				pred = cc
			}
			a = int(cur[i] + uint8(pred))
			cur[i] = uint8(a)
			cc = b
		}
	}
}

// unfilterAverage3 reverses the Average filter for 3-byte pixels, keeping
// the pixel to the left in registers: the generic loop reloads it from the
// row it has just stored, which serialises on store forwarding. It is the
// filter most rows of photographs end up with.
func unfilterAverage3(cur, prev []byte) {
	prev = prev[:len(cur)]
	var a0, a1, a2 uint
	for i := 0; i+2 < len(cur); i += 3 {
		c, p := cur[i:i+3:i+3], prev[i:i+3:i+3]
		a0 = uint(c[0]+uint8((a0+uint(p[0]))>>1)) & 0xff
		a1 = uint(c[1]+uint8((a1+uint(p[1]))>>1)) & 0xff
		a2 = uint(c[2]+uint8((a2+uint(p[2]))>>1)) & 0xff
		c[0], c[1], c[2] = uint8(a0), uint8(a1), uint8(a2)
	}
}

// unfilterAverage4 is unfilterAverage3 for 4-byte pixels.
func unfilterAverage4(cur, prev []byte) {
	prev = prev[:len(cur)]
	var a0, a1, a2, a3 uint
	for i := 0; i+3 < len(cur); i += 4 {
		c, p := cur[i:i+4:i+4], prev[i:i+4:i+4]
		a0 = uint(c[0]+uint8((a0+uint(p[0]))>>1)) & 0xff
		a1 = uint(c[1]+uint8((a1+uint(p[1]))>>1)) & 0xff
		a2 = uint(c[2]+uint8((a2+uint(p[2]))>>1)) & 0xff
		a3 = uint(c[3]+uint8((a3+uint(p[3]))>>1)) & 0xff
		c[0], c[1], c[2], c[3] = uint8(a0), uint8(a1), uint8(a2), uint8(a3)
	}
}
