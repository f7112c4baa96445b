package inflate

import "encoding/binary"

// adlerMod is the prime Adler-32 sums are taken modulo (RFC 1950).
const adlerMod = 65521

// adlerBlock bounds the bytes summed between two reductions: from sums
// under adlerMod, s2 grows by at most adlerMod*n + 255*n*(n+1)/2 over n
// bytes, far inside 64 bits at a mebibyte.
const adlerBlock = 1 << 20

// Multipliers that weigh the bytes of a 16-byte step in s2. Bytes are taken
// eight at a time as four 16-bit lanes (even bytes, odd bytes); multiplying
// the lanes by c3<<48|c2<<32|c1<<16|c0 leaves lane0*c3 + lane1*c2 +
// lane2*c1 + lane3*c0 in the top lane, no lane sum reaching 2^16.
const (
	adlerLanes   = 0x00ff00ff00ff00ff
	adlerSumAll  = 0x0001000100010001
	adlerFirstLo = 16<<48 | 14<<32 | 12<<16 | 10 // bytes 0, 2, 4, 6
	adlerFirstHi = 15<<48 | 13<<32 | 11<<16 | 9  // bytes 1, 3, 5, 7
	adlerLastLo  = 8<<48 | 6<<32 | 4<<16 | 2     // bytes 8, 10, 12, 14
	adlerLastHi  = 7<<48 | 5<<32 | 3<<16 | 1     // bytes 9, 11, 13, 15
)

// adlerUpdate returns the Adler-32 of the data adler sums followed by p.
// hash/adler32 adds a byte at a time, each step waiting on the one before;
// here sixteen bytes are summed, and weighted 16 down to 1 for s2, with a
// few multiplications on 64-bit words, and the sums are reduced modulo the
// prime once a mebibyte. About twice as fast (BenchmarkAdler32), which
// counts at the 512 MB of rows a 64 MP 16-bit PNG inflates to.
func adlerUpdate(adler uint32, p []byte) uint32 {
	s1, s2 := uint64(adler&0xffff), uint64(adler>>16)
	for len(p) > 0 {
		block := p[:min(len(p), adlerBlock)]
		p = p[len(block):]
		for ; len(block) >= 16; block = block[16:] {
			x := binary.LittleEndian.Uint64(block)
			y := binary.LittleEndian.Uint64(block[8:])
			xl, xh := x&adlerLanes, x>>8&adlerLanes
			yl, yh := y&adlerLanes, y>>8&adlerLanes
			s2 += 16*s1 + xl*adlerFirstLo>>48 + xh*adlerFirstHi>>48 + yl*adlerLastLo>>48 + yh*adlerLastHi>>48
			s1 += (xl+xh)*adlerSumAll>>48 + (yl+yh)*adlerSumAll>>48
		}
		for _, c := range block {
			s1 += uint64(c)
			s2 += s1
		}
		s1 %= adlerMod
		s2 %= adlerMod
	}
	return uint32(s2<<16 | s1)
}
