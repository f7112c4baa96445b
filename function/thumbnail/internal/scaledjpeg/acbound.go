package scaledjpeg

// maxDequantizedAC bounds an AC coefficient times its quantiser. The forward
// DCT of 8-bit samples (-128..127 after the level shift, ITU T.81 A.3.3)
// gives AC coefficients of at most 1024 in magnitude; rounding to the
// quantiser adds at most half of it (under 128), and the approximate DCTs of
// real encoders stay well within twice the exact bound.
//
// A coefficient above the bound cannot come from 8-bit samples: it is the
// mark of a damaged quantisation table (one entry of 11 become 215) or of
// damaged entropy-coded data. A full decode then clips its samples to
// 0..255 block by block, while a block's DC coefficient, all the 1/8 scale
// reads, still tells the unclipped mean, so the two pictures of the file
// lie far apart (14 dB in such a file). The DC-only decoder, which gives
// every file its verdict, refuses these files, at every scale.
const maxDequantizedAC = 2048

// acSlowSize returns the smallest coefficient size (in bits, as Huffman
// symbols code it) whose largest value, shifted left by al (the point
// transform of a progressive scan) and times qMax, exceeds maxDequantizedAC;
// 11 when no size a JPEG of 8-bit samples may hold (at most 10) can. The
// skip tables leave coefficients of that size or more to the slow path,
// which reads their value and checks it against the quantiser of their
// position: most tables never send a photo's coefficients there.
func acSlowSize(qMax uint16, al uint) uint8 {
	for s := uint8(1); s <= 10; s++ {
		if int64(1<<s-1)<<al*int64(qMax) > maxDequantizedAC {
			return s
		}
	}
	return 11
}

// maxACQuantiser returns the largest quantiser of the AC positions of a
// table in zigzag order.
func maxACQuantiser(q *[64]uint16) uint16 {
	var m uint16
	for _, v := range q[1:] {
		m = max(m, v)
	}
	return m
}

// checkACValue refuses AC coefficient v, shifted left by al, at zigzag
// position k of a block quantised by q, when it exceeds maxDequantizedAC.
func checkACValue(v int32, al uint, k int, q *[64]uint16) error {
	m := int64(v)
	if m < 0 {
		m = -m
	}
	if m<<al*int64(q[k]) > maxDequantizedAC {
		return formatError("AC coefficient %d at zigzag position %d times quantiser %d is larger than 8-bit samples make", v<<al, k, q[k])
	}
	return nil
}
