package pngstream

import "encoding/binary"

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
		switch bpp {
		case 3:
			unfilterSub3(cur)
		case 4:
			unfilterSub4(cur)
		default:
			for i := bpp; i < len(cur); i++ {
				cur[i] += cur[i-bpp]
			}
		}
	case filterUp:
		unfilterUp(cur, prev)
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
		switch bpp {
		case 3:
			unfilterPaeth3(cur, prev)
		case 4:
			unfilterPaeth4(cur, prev)
		default:
			unfilterPaeth(cur, prev, bpp)
		}
	default:
		return formatError("row filter %d", filter)
	}
	return nil
}

// unfilterUp reverses the Up filter eight bytes at a time: the bytes of two
// words are added without carries between them, by adding the low seven bits
// of each byte and putting each top bit back with an exclusive or.
func unfilterUp(cur, prev []byte) {
	prev = prev[:len(cur)]
	const low7, top = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	for len(cur) >= 8 && len(prev) >= 8 {
		a, b := binary.LittleEndian.Uint64(cur), binary.LittleEndian.Uint64(prev)
		binary.LittleEndian.PutUint64(cur, (a&low7)+(b&low7)^(a^b)&top)
		cur, prev = cur[8:], prev[8:]
	}
	for i := range cur {
		cur[i] += prev[i]
	}
}

// unfilterSub3 reverses the Sub filter for 3-byte pixels, keeping the pixel
// to the left in registers (see unfilterAverage3).
func unfilterSub3(cur []byte) {
	var a0, a1, a2 uint8
	for len(cur) >= 3 {
		c := cur[:3:3]
		a0, a1, a2 = c[0]+a0, c[1]+a1, c[2]+a2
		c[0], c[1], c[2] = a0, a1, a2
		cur = cur[3:]
	}
}

// unfilterSub4 is unfilterSub3 for 4-byte pixels.
func unfilterSub4(cur []byte) {
	var a0, a1, a2, a3 uint8
	for len(cur) >= 4 {
		c := cur[:4:4]
		a0, a1, a2, a3 = c[0]+a0, c[1]+a1, c[2]+a2, c[3]+a3
		c[0], c[1], c[2], c[3] = a0, a1, a2, a3
		cur = cur[4:]
	}
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

// unfilterPaeth3 reverses the Paeth filter for 3-byte pixels a pixel at a
// time: the three channels are independent chains of dependent operations,
// which the processor then overlaps, where the channel-at-a-time loop runs
// one chain after another.
func unfilterPaeth3(cur, prev []byte) {
	prev = prev[:len(cur)]
	var a0, a1, a2, c0, c1, c2 int // left and up-left of each channel
	for len(cur) >= 3 && len(prev) >= 3 {
		c, p := cur[:3:3], prev[:3:3]
		b0, b1, b2 := int(p[0]), int(p[1]), int(p[2])
		a0 = int(c[0] + uint8(predictPaeth(a0, b0, c0)))
		a1 = int(c[1] + uint8(predictPaeth(a1, b1, c1)))
		a2 = int(c[2] + uint8(predictPaeth(a2, b2, c2)))
		c[0], c[1], c[2] = uint8(a0), uint8(a1), uint8(a2)
		c0, c1, c2 = b0, b1, b2
		cur, prev = cur[3:], prev[3:]
	}
}

// unfilterPaeth4 is unfilterPaeth3 for 4-byte pixels.
func unfilterPaeth4(cur, prev []byte) {
	prev = prev[:len(cur)]
	var a0, a1, a2, a3, c0, c1, c2, c3 int // left and up-left of each channel
	for len(cur) >= 4 && len(prev) >= 4 {
		c, p := cur[:4:4], prev[:4:4]
		b0, b1, b2, b3 := int(p[0]), int(p[1]), int(p[2]), int(p[3])
		a0 = int(c[0] + uint8(predictPaeth(a0, b0, c0)))
		a1 = int(c[1] + uint8(predictPaeth(a1, b1, c1)))
		a2 = int(c[2] + uint8(predictPaeth(a2, b2, c2)))
		a3 = int(c[3] + uint8(predictPaeth(a3, b3, c3)))
		c[0], c[1], c[2], c[3] = uint8(a0), uint8(a1), uint8(a2), uint8(a3)
		c0, c1, c2, c3 = b0, b1, b2, b3
		cur, prev = cur[4:], prev[4:]
	}
}

// predictPaeth is the Paeth predictor of a sample from its left (a), upper
// (b) and upper-left (c) neighbours, PNG specification section 9.4, without
// branches: absolute values by sign masks, the choices by conditional moves.
func predictPaeth(a, b, c int) int {
	pa, pb := b-c, a-c
	pc := pa + pb
	pa = (pa ^ pa>>63) - pa>>63
	pb = (pb ^ pb>>63) - pb>>63
	pc = (pc ^ pc>>63) - pc>>63
	if pb < pa {
		a, pa = b, pb
	}
	if pc < pa {
		a = c
	}
	return a
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
