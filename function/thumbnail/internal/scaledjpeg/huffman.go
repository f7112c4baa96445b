package scaledjpeg

// endOfBlock is how far an end-of-block code moves the coefficient index:
// past any index a run of coefficients can reach (at most 63 + 16), so that
// the two ways out of a block stay apart.
const endOfBlock = 128

// Lookahead widths of the decoding tables.
const (
	fastBits = 9  // symbol lookup
	skipBits = 11 // AC skip lookup: code and extra bits together
)

// huffman is one Huffman table of a DHT segment, with lookup tables for
// decoding symbols and for skipping AC coefficients.
//
// A DHT segment only validates and stores its counts and symbols; the lookup
// tables are built when a scan first uses the table. A file can define
// tables a million times over (50 MB of DHT segments) and each rebuild
// fills 2,560 entries: building lazily makes such a flood cost what reading
// it costs, and the header probe never builds a table.
type huffman struct {
	defined bool
	built   bool
	counts  [16]uint8
	// fast maps the next fastBits bits to length<<8 | symbol; 0 when the code is longer.
	fast [1 << fastBits]uint16
	// skipAC maps the next skipBits bits to how one AC coefficient is skipped:
	// bits consumed (code and extra bits) | positions advanced<<8, where
	// endOfBlock advances past the block. 0 when it does not fit.
	skipAC [1 << skipBits]uint16
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
	h.defined, h.built = true, false
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
	clear(h.skipAC[:])
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
	h.buildSkip()
}

// buildSkip fills skipAC from the codes of up to skipBits bits.
func (h *huffman) buildSkip() {
	code, k := int32(0), int32(0)
	for l := 1; l <= skipBits; l++ {
		for ; k < h.nVals && h.maxCode[l] >= 0 && code <= h.maxCode[l]; code, k = code+1, k+1 {
			sym := h.vals[k]
			run, size := int(sym>>4), int(sym&15)
			total := l + size
			if total > skipBits {
				continue
			}
			advance := run + 1
			if size == 0 {
				advance = endOfBlock // the only run-0 size-0 code outside progressive AC
				if run == 15 {
					advance = 16 // sixteen zeros
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
