package inflate

import "math/bits"

// A table entry packs what one lookup tells the decoder:
//
//	bits 0-7   bits the entry consumes (the codeword, or for a subtable link
//	           the primary table's bits)
//	bits 8-11  extra bits that follow the codeword (length or distance), or
//	           for a subtable link the subtable's index bits
//	bits 12-15 kind: literal, length, end of block, subtable link; 0 marks a
//	           codeword that is not in the code or a symbol that is invalid
//	bits 16-31 the literal byte, the base length or distance, or the
//	           subtable's start
const (
	kindLiteral = 1 << 12
	kindLength  = 2 << 12
	kindEnd     = 4 << 12
	kindLink    = 8 << 12
	kindMask    = 15 << 12
)

// Primary table index bits; longer codewords go through subtables.
const (
	litBits  = 10
	distBits = 8
	clenBits = 7
)

// Table sizes: at least the primary table plus the most subtable entries a
// complete code over that many symbols with codewords of at most 15 bits can
// need (zlib's "enough" program: 1334 for 288 symbols and 10 bits, 402 for
// 30 symbols and 8 bits), rounded up to a power of two so that a masked
// index needs no bounds check.
const (
	litTableSize  = 2048
	distTableSize = 512
	clenTableSize = 1 << clenBits
)

// Length and distance bases and extra bits, RFC 1951 section 3.2.5.
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// litEntry is the entry for literal/length symbol sym, without its length.
func litEntry(sym int) uint32 {
	switch {
	case sym < 256:
		return kindLiteral | uint32(sym)<<16
	case sym == 256:
		return kindEnd
	case sym < 286:
		i := sym - 257
		return kindLength | uint32(lengthExtra[i])<<8 | uint32(lengthBase[i])<<16
	}
	return 0 // 286 and 287 take part in the fixed code but are invalid
}

// distEntry is the entry for distance symbol sym, without its length.
func distEntry(sym int) uint32 {
	if sym < 30 {
		return uint32(distExtra[sym])<<8 | uint32(distBase[sym])<<16
	}
	return 0 // 30 and 31 take part in the fixed code but are invalid
}

// distKind marks a valid distance entry; distance entries carry no other
// kind, so an entry without it is invalid.
const distKind = kindLength

// buildTable fills table with the canonical Huffman code of lengths (RFC
// 1951 section 3.2.2), primary index bits wide, each symbol's entry given by
// entry. Like compress/flate it accepts complete codes, the one-codeword
// code of length 1, and the empty code (whose every lookup is invalid); it
// rejects over-subscribed and other incomplete codes.
func buildTable(table []uint32, lengths []uint8, bits uint, entry func(int) uint32) bool {
	var count [16]int
	maxLen := 0
	for _, n := range lengths {
		count[n]++
		maxLen = max(maxLen, int(n))
	}
	count[0] = 0
	if maxLen == 0 {
		clear(table)
		return true
	}
	// The first codeword of each length, checking the code is not
	// over-subscribed and is complete.
	var next [16]int
	code, left := 0, 1
	for n := 1; n <= 15; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
		left = left<<1 - count[n]
		if left < 0 {
			return false
		}
	}
	if left != 0 {
		if !(maxLen == 1 && count[1] == 1) {
			return false
		}
		// The one-codeword code leaves half the table invalid; a complete
		// code fills every entry it reaches.
		clear(table)
	}
	// Symbols in canonical order: by codeword length, then symbol.
	var order [288]uint16
	var offs [17]int
	for n := 1; n <= 15; n++ {
		offs[n+1] = offs[n] + count[n]
	}
	for sym, n := range lengths {
		if n != 0 {
			order[offs[n]] = uint16(sym)
			offs[n]++
		}
	}
	total := 0
	for n := 1; n <= 15; n++ {
		total += count[n]
	}
	remaining := count // codewords of each length not yet placed
	mask := 1<<bits - 1
	subStart, subBits, subPrefix := 1<<bits, uint(0), -1
	for _, sym := range order[:total] {
		n := int(lengths[sym])
		c := next[n]
		next[n]++
		remaining[n]--
		rev := reverse(c, n)
		e := entry(int(sym))
		if n <= int(bits) {
			e |= uint32(n)
			for i := rev; i < 1<<bits; i += 1 << n {
				table[i] = e
			}
			continue
		}
		prefix := rev & mask
		if prefix != subPrefix {
			// A new subtable, after the previous one, with as many index
			// bits as the codewords sharing this prefix need: in canonical
			// order they are the ones placed next.
			if subPrefix >= 0 {
				subStart += 1 << subBits
			}
			subBits = uint(n) - bits
			used := remaining[n] + 1
			for used < 1<<subBits {
				subBits++
				used = used<<1 + remaining[bits+subBits]
			}
			subPrefix = prefix
			if subStart+1<<subBits > len(table) {
				return false
			}
			table[prefix] = kindLink | uint32(bits) | uint32(subBits)<<8 | uint32(subStart)<<16
		}
		e |= uint32(n - int(bits))
		for i := rev >> bits; i < 1<<subBits; i += 1 << (n - int(bits)) {
			table[subStart+i] = e
		}
	}
	return true
}

// reverse returns the n low bits of c in reverse order: Huffman codewords
// are packed starting with their most significant bit.
func reverse(c, n int) int {
	return int(bits.Reverse16(uint16(c)) >> (16 - n))
}
