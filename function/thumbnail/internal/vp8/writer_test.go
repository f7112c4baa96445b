package vp8

import (
	"math/bits"
	"math/rand/v2"
)

// boolEncoder is libwebp's VP8BitWriter: the arithmetic coder whose output
// the partition type reads. The tests write crafted frames with it.
type boolEncoder struct {
	buf     []byte
	rangeM1 int
	value   int
	run     int // 0xff bytes held back until a carry is known
	nBits   int
}

func newBoolEncoder() *boolEncoder {
	return &boolEncoder{rangeM1: 254, nBits: -8}
}

// putBit writes bit with probability prob/256 of a zero, and returns it.
func (e *boolEncoder) putBit(bit bool, prob uint8) bool {
	split := (e.rangeM1 * int(prob)) >> 8
	if bit {
		e.value += split + 1
		e.rangeM1 -= split + 1
	} else {
		e.rangeM1 = split
	}
	if e.rangeM1 < 127 {
		shift := 8 - bits.Len(uint(e.rangeM1+1))
		e.rangeM1 = (e.rangeM1+1)<<shift - 1
		e.value <<= shift
		e.nBits += shift
		if e.nBits > 0 {
			e.flush()
		}
	}
	return bit
}

func (e *boolEncoder) flush() {
	s := 8 + e.nBits
	v := e.value >> s
	e.value -= v << s
	e.nBits -= 8
	if v&0xff == 0xff {
		e.run++
		return
	}
	if v&0x100 != 0 && len(e.buf) > 0 {
		e.buf[len(e.buf)-1]++
	}
	for ; e.run > 0; e.run-- {
		if v&0x100 != 0 {
			e.buf = append(e.buf, 0x00)
		} else {
			e.buf = append(e.buf, 0xff)
		}
	}
	e.buf = append(e.buf, byte(v))
}

// putUint writes the n low bits of v, most significant first, at even odds.
func (e *boolEncoder) putUint(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		e.putBit(v>>uint(i)&1 == 1, uniformProb)
	}
}

// putOptionalInt writes a flag and, when v is not zero, its n-bit
// magnitude and its sign, as readOptionalInt reads them.
func (e *boolEncoder) putOptionalInt(v int32, n int) {
	if !e.putBit(v != 0, uniformProb) {
		return
	}
	m := v
	if m < 0 {
		m = -m
	}
	e.putUint(uint32(m), n)
	e.putBit(v < 0, uniformProb)
}

// finish flushes the coder and returns its bytes.
func (e *boolEncoder) finish() []byte {
	e.putUint(0, 9-e.nBits)
	e.nBits = 0
	e.flush()
	return e.buf
}

// randomFrame writes a w x h key frame with random header choices (every
// feature of the segment, filter and partition headers), random token
// probability updates and modes, and token partitions of random bytes,
// which the arithmetic decoder reads as some sequence of tokens.
func randomFrame(rng *rand.Rand, w, h int) []byte {
	frame, _ := randomFrameParts(rng, w, h)
	return frame
}

// randomFrameParts is randomFrame, which also returns where each partition
// starts in the frame: the first, then the token partitions.
func randomFrameParts(rng *rand.Rand, w, h int) (frame []byte, starts []int) {
	e := newBoolEncoder()
	coin := func() bool { return rng.IntN(2) == 0 }
	// put writes a random bit, a 1 with odds near those prob implies,
	// so that the frame stays short.
	put := func(prob uint8) bool {
		return e.putBit(rng.IntN(256) >= int(prob), prob)
	}
	e.putBit(false, uniformProb) // colour space
	e.putBit(false, uniformProb) // clamping type

	// Segment header.
	useSegment, updateMap := coin(), false
	segProb := [3]uint8{255, 255, 255}
	if e.putBit(useSegment, uniformProb) {
		updateMap = e.putBit(coin(), uniformProb)
		if e.putBit(coin(), uniformProb) { // update data
			e.putBit(coin(), uniformProb) // absolute values, else deltas
			for range 4 {
				e.putOptionalInt(int32(rng.IntN(255)-127), 7)
			}
			for range 4 {
				e.putOptionalInt(int32(rng.IntN(127)-63), 6)
			}
		}
		if updateMap {
			for i := range segProb {
				if e.putBit(coin(), uniformProb) {
					segProb[i] = uint8(rng.IntN(256))
					e.putUint(uint32(segProb[i]), 8)
				}
			}
		}
	}

	// Filter header.
	e.putBit(coin(), uniformProb)                          // simple
	e.putUint(uint32([]int{0, 1, 20, 63}[rng.IntN(4)]), 6) // level
	e.putUint(uint32(rng.IntN(8)), 3)                      // sharpness
	if e.putBit(coin(), uniformProb) {                     // loop filter deltas
		if e.putBit(coin(), uniformProb) {
			for range 8 {
				e.putOptionalInt(int32(rng.IntN(127)-63), 6)
			}
		}
	}

	logNOP := rng.IntN(4)
	e.putUint(uint32(logNOP), 2)

	// Quantizers.
	e.putUint(uint32(rng.IntN(128)), 7)
	for range 5 {
		if coin() {
			e.putOptionalInt(0, 4)
		} else {
			e.putOptionalInt(int32(rng.IntN(31)-15), 4)
		}
	}
	e.putBit(false, uniformProb) // refresh entropy probabilities

	// Token probability updates, a few of them.
	for i := range tokenProbUpdateProb {
		for j := range tokenProbUpdateProb[i] {
			for k := range tokenProbUpdateProb[i][j] {
				for _, p := range tokenProbUpdateProb[i][j][k] {
					if e.putBit(rng.IntN(40) == 0, p) {
						e.putUint(uint32(rng.IntN(256)), 8)
					}
				}
			}
		}
	}
	useSkip := e.putBit(coin(), uniformProb)
	skipProb := uint8(rng.IntN(256))
	if useSkip {
		e.putUint(uint32(skipProb), 8)
	}

	// Modes, as the decoder's parse functions read them.
	mbw, mbh := (w+15)/16, (h+15)/16
	up := make([][4]uint8, mbw)
	for range mbh {
		var left [4]uint8
		for mbx := range mbw {
			if updateMap {
				if !put(segProb[0]) {
					put(segProb[1])
				} else {
					put(segProb[2])
				}
			}
			if useSkip {
				put(skipProb)
			}
			if put(145) { // 16x16 luma prediction
				var p uint8
				if !put(156) {
					if !put(163) {
						p = predDC
					} else {
						p = predVE
					}
				} else if !put(128) {
					p = predHE
				} else {
					p = predTM
				}
				up[mbx] = [4]uint8{p, p, p, p}
				left = [4]uint8{p, p, p, p}
			} else {
				for j := range 4 {
					p := left[j]
					for i := range 4 {
						prob := &predProb[up[mbx][i]][p]
						switch {
						case !put(prob[0]):
							p = predDC
						case !put(prob[1]):
							p = predTM
						case !put(prob[2]):
							p = predVE
						case !put(prob[3]):
							switch {
							case !put(prob[4]):
								p = predHE
							case !put(prob[5]):
								p = predRD
							default:
								p = predVR
							}
						case !put(prob[6]):
							p = predLD
						case !put(prob[7]):
							p = predVL
						case !put(prob[8]):
							p = predHD
						default:
							p = predHU
						}
						up[mbx][i] = p
					}
					left[j] = p
				}
			}
			if put(142) && put(114) { // chroma mode
				put(183)
			}
		}
	}
	first := append(e.finish(), 0, 0)

	// The frame: tag, start code, size, first partition, partition sizes,
	// token partitions.
	nOP := 1 << logNOP
	frame = []byte{
		byte(len(first)<<5) | 0x10, byte(len(first) >> 3), byte(len(first) >> 11),
		0x9d, 0x01, 0x2a,
		byte(w), byte(w >> 8), byte(h), byte(h >> 8),
	}
	starts = append(starts, len(frame))
	frame = append(frame, first...)
	parts := make([][]byte, nOP)
	for i := range parts {
		parts[i] = make([]byte, 4096+rng.IntN(64))
		for j := range parts[i] {
			parts[i][j] = byte(rng.Uint32())
		}
		if i < nOP-1 {
			n := len(parts[i])
			frame = append(frame, byte(n), byte(n>>8), byte(n>>16))
		}
	}
	for _, p := range parts {
		starts = append(starts, len(frame))
		frame = append(frame, p...)
	}
	return frame, starts
}

// zeroTokenFrame writes a w x h key frame built to cost the most decoding
// work for its size: token probabilities that make "not the end of the
// block" and "a zero coefficient" nearly free, and every block of every
// macroblock coded as sixteen zero tokens, a few hundred arithmetic-decoded
// bits a macroblock in about three bytes. Modes are 16x16 DC prediction
// with a Y2 block, the loop filter is the normal one at level 20.
func zeroTokenFrame(w, h int) []byte {
	return craftedTokenFrame(w, h, false)
}

// largeTokenFrame is zeroTokenFrame with every coefficient of every block
// the largest category (6, eleven extra bits, all zero, the likelier value
// of each), its path through the token tree made nearly free: the most
// arithmetic-decoded bits a macroblock can hold, about 7,600 in 335 bytes.
func largeTokenFrame(w, h int) []byte {
	return craftedTokenFrame(w, h, true)
}

// craftedTokenFrame writes zeroTokenFrame, or largeTokenFrame when large.
func craftedTokenFrame(w, h int, large bool) []byte {
	e := newBoolEncoder()
	e.putBit(false, uniformProb) // colour space
	e.putBit(false, uniformProb) // clamping type
	e.putBit(false, uniformProb) // no segments
	e.putBit(false, uniformProb) // normal filter
	e.putUint(20, 6)             // level
	e.putUint(0, 3)              // sharpness
	e.putBit(false, uniformProb) // no loop filter deltas
	e.putUint(0, 2)              // one token partition
	e.putUint(60, 7)             // base quantizer
	for range 5 {
		e.putOptionalInt(0, 4)
	}
	e.putBit(false, uniformProb) // refresh entropy probabilities
	for i := range tokenProbUpdateProb {
		for j := range tokenProbUpdateProb[i] {
			for k := range tokenProbUpdateProb[i][j] {
				for l, p := range tokenProbUpdateProb[i][j][k] {
					switch {
					case l == 0 || large && (l == 1 || l == 2 || l == 3 || l == 6 || l == 8 || l == 10):
						// a 1 nearly free: not the end of the block, and
						// for large tokens the path to category 6
						e.putBit(true, p)
						e.putUint(1, 8)
					case l == 1: // a 0, a zero coefficient, nearly free
						e.putBit(true, p)
						e.putUint(255, 8)
					default:
						e.putBit(false, p)
					}
				}
			}
		}
	}
	e.putBit(false, uniformProb) // no skip flag
	mbw, mbh := (w+15)/16, (h+15)/16
	for range mbw * mbh {
		e.putBit(true, 145)  // 16x16 prediction
		e.putBit(false, 156) // DC
		e.putBit(false, 163)
		e.putBit(false, 142) // chroma DC
	}
	first := append(e.finish(), 0, 0)

	t := newBoolEncoder()
	for range mbw * mbh {
		for block := range 25 { // Y2, 16 luma from their second coefficient, 8 chroma
			n := 0
			if block >= 1 && block <= 16 {
				n = 1
			}
			t.putBit(true, 1)
			for ; n < 16; n++ {
				if !large {
					t.putBit(false, 255)
					continue
				}
				for range 6 { // nonzero, more than 1, more than 4, category 3 to 6, then 6
					t.putBit(true, 1)
				}
				for _, p := range cat3456[3][:11] {
					t.putBit(false, p)
				}
				t.putBit(n&1 == 0, uniformProb) // sign
				if n < 15 {
					t.putBit(true, 1) // not the end of the block
				}
			}
		}
	}
	tokens := append(t.finish(), 0, 0)
	frame := []byte{
		byte(len(first)<<5) | 0x10, byte(len(first) >> 3), byte(len(first) >> 11),
		0x9d, 0x01, 0x2a,
		byte(w), byte(w >> 8), byte(h), byte(h >> 8),
	}
	frame = append(frame, first...)
	return append(frame, tokens...)
}
