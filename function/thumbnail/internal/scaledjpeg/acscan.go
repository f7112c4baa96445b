package scaledjpeg

// checkACFirstScan reads the first scan of a band of AC coefficients of a
// progressive file (Ah = 0, spectral selection ss-se, one component) and
// refuses the file when a coefficient, shifted by the scan's point
// transform, is larger than 8-bit samples make with its quantiser (see
// maxDequantizedAC). Refinement scans only add the low bits, so the first
// scan of a band holds all a coefficient's magnitude the check needs.
//
// The DC-only image needs nothing from these scans, and a damaged one is
// left to the full decoders as before: a scan that does not parse to its
// end (a bad code, a run past the band, data that ends early or is left
// unread) refuses nothing, and only a scan read cleanly to its end can
// refuse the file. The work is one Huffman decode per coefficient coded and
// one step per run of empty blocks, so at most in proportion to the scan's
// data.
func (d *decoder) checkACFirstScan(sc *scan, ss, se int) error {
	c := &d.comp[sc.comps[0]]
	t := sc.ac[0]
	if !c.qSet || !t.defined {
		return nil // nothing to check against: left to the full decoders
	}
	t.prepareSkip(acSlowSize(maxACQuantiser(&c.quant), sc.al), true)
	br := &d.br
	br.reset(d.data, d.pos)
	var refusal error
	nBlocks, eobRun := c.cw*c.ch, 0
	for m := 0; m < nBlocks; {
		if d.restart > 0 && m > 0 && m%d.restart == 0 {
			if d.processRestart(sc) != nil {
				return nil
			}
			eobRun = 0
		}
		if eobRun > 0 {
			// A run of blocks with nothing in the band, up to the next
			// restart marker, which ends any run.
			n := min(eobRun, nBlocks-m)
			if d.restart > 0 {
				n = min(n, d.restart-m%d.restart)
			}
			eobRun -= n
			m += n
			continue
		}
		if br.exhausted() {
			return nil
		}
		if br.n < skipBits {
			br.fill()
		}
		if e := t.skipAC[br.acc>>(64-skipBits)]; e>>8 == endOfBlock {
			// An empty band, the block's one code: most blocks of a
			// crafted file, and many of a photo's high bands.
			br.skip(uint(e & 0xFF))
			m++
			continue
		}
		run, err := skipBand(br, t, ss, se, sc.al, &c.quant)
		switch {
		case err == errBandBroken:
			return nil
		case err != nil && refusal == nil:
			refusal = err
		}
		eobRun = run
		m++
	}
	if br.exhausted() || d.checkDataUsed() != nil {
		return nil
	}
	return refusal
}

// errBandBroken is a band of AC coefficients that does not parse: a bad
// code, a coefficient past the band or of more than 10 bits.
var errBandBroken = FormatError("broken band of AC coefficients")

// skipBand consumes the coefficients ss-se of one block of a progressive AC
// first scan, one lookup for one or two coefficients in the common case (as
// skipAC does, with the band's end standing for the block's), and returns
// how many more blocks an end-of-band run leaves empty. A coefficient the
// skip tables leave to the slow path is read and checked with checkACValue;
// its error is returned after the block is read, so that the caller can
// still tell a broken scan (errBandBroken) apart.
func skipBand(br *bitReader, t *huffman, ss, se int, al uint, q *[64]uint16) (int, error) {
	var refusal error
	table := t.skipPair
	shift := 63 - se // k+shift reaches 64, the pair table's block end, where k passes se
	acc, n := br.acc, br.n
	k := ss
	for k <= se {
		if n < maxSkipBits {
			br.acc, br.n = acc, n
			br.fill()
			acc, n = br.acc, br.n
		}
		e := table[acc>>(64-pairBits)]
		if k+shift >= int(e>>pairLimitShift) {
			e = uint32(t.skipAC[acc>>(64-skipBits)]) // the first coefficient ends the band
		}
		if e != 0 {
			used := uint(e & pairUsedMask)
			acc <<= used & 63
			n -= used
			k += int(e>>pairAdvShift) & 0xFF
			continue
		}
		br.acc, br.n = acc, n
		sym, err := t.decode(br)
		if err != nil {
			return 0, errBandBroken
		}
		run, size := int(sym>>4), uint(sym&15)
		if size == 0 {
			if run == 15 { // sixteen zeros, with a code longer than the table's
				k += 16
				acc, n = br.acc, br.n
				continue
			}
			// The end of this block's band and of run more blocks'.
			return 1<<run - 1 + int(br.receive(uint(run))), refusal
		}
		v := br.receiveExtend(size)
		if k+run > se || size > 10 {
			return 0, errBandBroken
		}
		if refusal == nil {
			refusal = checkACValue(v, al, k+run, q)
		}
		k += run + 1
		acc, n = br.acc, br.n
	}
	br.acc, br.n = acc, n
	if k > se+1 && k < endOfBlock {
		return 0, errBandBroken // a run past the band
	}
	return 0, refusal
}
