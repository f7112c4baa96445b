package scaledjpeg

// endOfBlock is how far an end-of-block code moves the coefficient index:
// past any index a run of coefficients can reach (at most 63 + 16), so that
// the two ways out of a block stay apart.
const endOfBlock = 128

// Lookahead widths of the decoding tables.
const (
	fastBits = 9  // symbol lookup
	skipBits = 11 // AC skip lookup: the code's bits
	// maxSkipBits is the most bits one skipAC entry consumes: a code of
	// skipBits bits and the 10 extra bits of the largest AC coefficient.
	maxSkipBits = skipBits + 10
	pairBits    = skipBits + 1 // AC pair lookup: two codes and their extra bits
)

// Fields of a skipPair entry: bits consumed, positions advanced, and the
// block position from which the entry may not be taken. A pair's limit is
// where its first coefficient ends the block (64 less its advance), so that
// the second, which is then the next block's, is left alone; an entry of one
// coefficient has limit 64 and is always taken.
const (
	pairUsedMask   = 0xFF
	pairAdvShift   = 8
	pairLimitShift = 16
)

// huffman is one Huffman table of a DHT segment, with lookup tables for
// decoding symbols and for skipping AC coefficients.
//
// A DHT segment only validates and stores its counts and symbols; the lookup
// tables are built when a scan first uses the table. A file can define
// tables a million times over (50 MB of DHT segments) and each rebuild
// fills 2,560 entries: building lazily makes such a flood cost what reading
// it costs, and the header probe never builds a table. An AC table used by a
// sequential scan also builds its pair table (4,096 entries), and one used
// by an AC scan its skip table, once per definition and coefficient size
// the scan's quantisers need checked from (see prepareSkip).
type huffman struct {
	defined bool
	built   bool
	counts  [16]uint8
	// fast maps the next fastBits bits to length<<8 | symbol; 0 when the code is longer.
	fast [1 << fastBits]uint16
	// skipAC maps the next skipBits bits to how one AC coefficient is skipped:
	// bits consumed (code and extra bits) | positions advanced<<8, where
	// endOfBlock advances past the block. Codes of up to skipBits bits have
	// an entry whatever their extra bits (at most maxSkipBits in all, so one
	// refill covers them); 0 for longer codes and for coefficients of
	// skipFrom bits or more, which the slow path reads and checks.
	skipAC [1 << skipBits]uint16
	// skipFrom is the coefficient size skipAC and skipPair were built to
	// leave to the slow path (see acSlowSize); 0 until they are built.
	skipFrom uint8
	// skipPair maps the next pairBits bits to up to two AC coefficients
	// skipped at once (see buildPairs); nil until an AC scan uses the table.
	skipPair *[1 << pairBits]uint32
	// Canonical code limits per length, for codes longer than fastBits.
	maxCode [17]int32 // largest code of each length, -1 when there is none
	valPtr  [17]int32 // index in vals of the first code of each length, less that code
	vals    [256]uint8
	nVals   int32
}

// define checks the DHT counts (codes of length 1-16) and keeps them and the
// symbols for build.
func (h *huffman) define(counts *[16]uint8, symbols []uint8) error {
	code := int32(0)
	for l := 1; l <= 16; l++ {
		code += int32(counts[l-1])
		if code > 1<<l {
			return formatError("bad Huffman table: too many codes of length %d", l)
		}
		code <<= 1
	}
	h.defined, h.built, h.skipFrom = true, false, 0
	h.counts = *counts
	h.nVals = int32(copy(h.vals[:], symbols))
	return nil
}

// build fills the lookup tables from the defined counts and symbols, once
// per definition.
func (h *huffman) build() {
	if h.built {
		return
	}
	h.built = true
	clear(h.fast[:])
	symbols, counts := h.vals[:h.nVals], &h.counts
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if n == 0 {
			h.maxCode[l] = -1
		} else {
			h.valPtr[l] = k - code
			for i := int32(0); i < n; i++ {
				if l <= fastBits {
					shift := uint(fastBits - l)
					entry := uint16(l)<<8 | uint16(symbols[k+i])
					for j := (code + i) << shift; j < (code+i+1)<<shift; j++ {
						h.fast[j] = entry
					}
				}
			}
			code += n
			k += n
			h.maxCode[l] = code - 1
		}
		code <<= 1
	}
}

// prepareSkip builds skipAC and skipPair for a sequential scan whose
// coefficients of from bits or more need checking (see acSlowSize), unless
// they are built for that size or a smaller one, which leaves more to the
// slow path and checks the same. A table is rebuilt only for a smaller
// size, so at most ten times a definition.
//
// In a progressive file (bands of AC coefficients) a size-0 code with a
// run of 1 to 14 is a run of empty blocks whose length follows in extra
// bits: skipAC leaves it to the slow path.
func (h *huffman) prepareSkip(from uint8, progressive bool) {
	if h.skipFrom != 0 && h.skipFrom <= from && h.skipPair != nil {
		return
	}
	h.build()
	h.buildSkip(from, progressive)
	h.buildPairs()
}

// buildSkip fills skipAC from the codes of up to skipBits bits, leaving
// coefficients of from bits or more out. An entry depends on the code
// alone: the extra bits that follow it are skipped whatever their value, so
// the table is indexed by the code's prefix and a coefficient costs one
// lookup however large it is.
func (h *huffman) buildSkip(from uint8, progressive bool) {
	clear(h.skipAC[:])
	h.skipFrom = from
	code, k := int32(0), int32(0)
	for l := 1; l <= skipBits; l++ {
		for ; k < h.nVals && h.maxCode[l] >= 0 && code <= h.maxCode[l]; code, k = code+1, k+1 {
			sym := h.vals[k]
			run, size := int(sym>>4), int(sym&15)
			if size >= int(from) {
				continue // read and checked by skipAC's slow path
			}
			total := l + size
			advance := run + 1
			if size == 0 {
				switch {
				case run == 15:
					advance = 16 // sixteen zeros
				case run > 0 && progressive:
					continue // a run of empty blocks: the slow path reads its length
				default:
					advance = endOfBlock // the only size-0 code of sequential AC
				}
			}
			entry := uint16(total) | uint16(advance)<<8
			// Every continuation of the code and its extra bits maps to the same entry.
			base := code << uint(skipBits-l)
			span := int32(1) << uint(skipBits-l)
			for j := base; j < base+span; j++ {
				h.skipAC[j] = entry
			}
		}
		code <<= 1
	}
}

// buildPairs fills skipPair from skipAC, once per definition of an AC
// table. An entry holds two coefficients when the first is not an end of
// block and both, with their extra bits, lie within the pairBits bits
// looked up; one coefficient when only it does; 0 when skipAC has none.
//
// The second coefficient's entry is read from skipAC with the unknown bits
// after the window as zeros. That is the right entry whenever its bits fit
// in the window: the code is then a prefix of the known bits, and codes are
// prefix-free.
func (h *huffman) buildPairs() {
	if h.skipPair == nil {
		h.skipPair = new([1 << pairBits]uint32)
	}
	const mask = 1<<pairBits - 1
	for w := uint32(0); w <= mask; w++ {
		e1 := h.skipAC[w>>(pairBits-skipBits)]
		if e1 == 0 {
			h.skipPair[w] = 0
			continue
		}
		used1, adv1 := uint32(e1&0xFF), uint32(e1>>8)
		h.skipPair[w] = used1 | adv1<<pairAdvShift | 64<<pairLimitShift
		if adv1 == endOfBlock || used1 >= pairBits {
			continue
		}
		rest := (w << used1) & mask
		e2 := h.skipAC[rest>>(pairBits-skipBits)]
		used2, adv2 := uint32(e2&0xFF), uint32(e2>>8)
		if e2 == 0 || used1+used2 > pairBits {
			continue
		}
		h.skipPair[w] = (used1 + used2) | (adv1+adv2)<<pairAdvShift | (64-adv1)<<pairLimitShift
	}
}

// decode reads one Huffman-coded symbol.
func (h *huffman) decode(b *bitReader) (uint8, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := h.fast[b.acc>>(64-fastBits)]; e != 0 {
		b.skip(uint(e >> 8))
		return uint8(e), nil
	}
	c16 := int32(b.acc >> 48)
	for l := fastBits + 1; l <= 16; l++ {
		c := c16 >> uint(16-l)
		if c <= h.maxCode[l] {
			i := h.valPtr[l] + c
			if i < 0 || i >= h.nVals {
				break
			}
			b.skip(uint(l))
			return h.vals[i], nil
		}
	}
	return 0, formatError("bad Huffman code")
}
