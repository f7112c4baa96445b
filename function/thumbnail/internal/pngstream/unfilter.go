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
		for i := 0; i < bpp; i++ {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
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
