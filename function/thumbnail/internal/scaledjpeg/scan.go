package scaledjpeg

import "encoding/binary"

// scanKind is what a scan contributes to the DC planes.
type scanKind int

const (
	scanSequential scanKind = iota // DC and AC of each block; AC is skipped bit by bit
	scanDCFirst                    // progressive: DC, shifted left by al
	scanDCRefine                   // progressive: one more bit of DC
	scanAC                         // progressive: AC only; read for checkACFirstScan, then skipped
)

// scan is a parsed SOS header.
type scan struct {
	kind  scanKind
	comps []int // indexes into decoder.comp, in coding order
	dc    [4]*huffman
	ac    [4]*huffman
	al    uint
}

// processSOS reads a scan header and decodes (or skips) the scan after it.
func (d *decoder) processSOS(p []byte) error {
	if d.nComp == 0 {
		return formatError("SOS marker before SOF marker")
	}
	if len(p) < 1 {
		return formatError("SOS marker too short")
	}
	ns := int(p[0])
	if ns < 1 || ns > d.nComp || len(p) != 4+2*ns {
		return formatError("SOS marker: %d components in %d bytes", ns, len(p)+2)
	}
	var sc scan
	for i := 0; i < ns; i++ {
		id, sel := p[1+2*i], p[2+2*i]
		ci := -1
		for j := 0; j < d.nComp; j++ {
			if d.comp[j].id == id {
				ci = j
			}
		}
		if ci < 0 {
			return formatError("SOS marker: unknown component %d", id)
		}
		for _, prev := range sc.comps {
			if prev == ci {
				return formatError("SOS marker: component %d twice", id)
			}
		}
		td, ta := int(sel>>4), int(sel&15)
		if td > 3 || ta > 3 {
			return formatError("SOS marker: bad Huffman table selector")
		}
		sc.dc[i], sc.ac[i] = &d.dcTab[td], &d.acTab[ta]
		sc.comps = append(sc.comps, ci)
	}
	ss, se, ah, al := p[1+2*ns], p[2+2*ns], p[3+2*ns]>>4, p[3+2*ns]&15
	if err := d.checkScanOrder(&sc, ss, se, ah, al); err != nil {
		return err
	}
	switch {
	case !d.progressive:
		sc.kind = scanSequential
	case ss > 0:
		sc.kind = scanAC
	case ah == 0:
		sc.kind = scanDCFirst
	default:
		sc.kind = scanDCRefine
	}
	d.scans++
	if sc.kind == scanAC {
		start := d.pos
		var err error
		if ah == 0 {
			err = d.checkACFirstScan(&sc, int(ss), int(se))
		}
		d.skipScanData(start)
		return err
	}
	for i, ci := range sc.comps {
		c := &d.comp[ci]
		if sc.kind != scanDCRefine && !sc.dc[i].defined {
			return formatError("component %d: no DC Huffman table", c.id)
		}
		if sc.kind == scanSequential && !sc.ac[i].defined {
			return formatError("component %d: no AC Huffman table", c.id)
		}
		if sc.kind != scanDCRefine {
			sc.dc[i].build()
		}
		if !c.qSet {
			if !d.quantSet[c.tq] {
				return formatError("component %d: no quantization table %d", c.id, c.tq)
			}
			c.quant, c.qSet = d.quant[c.tq], true
		}
		if sc.kind == scanSequential {
			sc.ac[i].prepareSkip(acSlowSize(maxACQuantiser(&c.quant), 0), false)
		}
		c.pred = 0
	}
	return d.decodeScan(&sc)
}

// checkScanOrder refuses scans the coding process does not allow, with the
// checks image/jpeg makes (and libjpeg, which also refuses them), so both
// decoders give a file the same verdict:
//   - sequential: each component in at most one scan. libjpeg stops a
//     single-scan file at a second SOS; without this rule each repeated scan
//     of an 8000x8000 image would decode every block again.
//   - progressive: spectral selection within a block (Ss <= Se <= 63, DC
//     scans 0-0), AC scans of one component, successive approximation
//     refining one bit at a time (Ah = Al + 1), point transforms up to 13.
func (d *decoder) checkScanOrder(sc *scan, ss, se, ah, al uint8) error {
	if !d.progressive {
		// Ss, Se, Ah and Al of a sequential scan are ignored, as by
		// image/jpeg and libjpeg (which only warns).
		for _, ci := range sc.comps {
			if d.scanned&(1<<ci) != 0 {
				return formatError("component %d in a second sequential scan", d.comp[ci].id)
			}
			d.scanned |= 1 << ci
		}
		return nil
	}
	switch {
	case (ss == 0 && se != 0) || ss > se || se > 63:
		return formatError("bad spectral selection %d-%d", ss, se)
	case ss != 0 && len(sc.comps) != 1:
		return formatError("progressive AC scan of %d components", len(sc.comps))
	case ah != 0 && ah != al+1:
		return formatError("bad successive approximation %d-%d", ah, al)
	case al > 13:
		return formatError("SOS marker: point transform %d", al)
	}
	sc.al = uint(al)
	return nil
}

// decodeScan decodes the entropy-coded data of a scan into the DC planes and
// leaves d.pos on the marker after it.
func (d *decoder) decodeScan(sc *scan) error {
	d.br.reset(d.data, d.pos)
	var nMCU, mcusX int
	if len(sc.comps) == 1 {
		c := &d.comp[sc.comps[0]]
		nMCU, mcusX = c.cw*c.ch, c.cw
	} else {
		nMCU, mcusX = d.mcusX*d.mcusY, d.mcusX
	}
	for m := 0; m < nMCU; m++ {
		if d.restart > 0 && m > 0 && m%d.restart == 0 {
			if err := d.processRestart(sc); err != nil {
				return err
			}
		}
		if d.br.exhausted() {
			return dataEndsError{m, nMCU}
		}
		mx, my := m%mcusX, m/mcusX
		if len(sc.comps) == 1 {
			c := &d.comp[sc.comps[0]]
			if err := d.decodeBlock(sc, 0, c, my*c.bw+mx); err != nil {
				return err
			}
			continue
		}
		for i, ci := range sc.comps {
			c := &d.comp[ci]
			for v := 0; v < c.v; v++ {
				row := (my*c.v + v) * c.bw
				for h := 0; h < c.h; h++ {
					if err := d.decodeBlock(sc, i, c, row+mx*c.h+h); err != nil {
						return err
					}
				}
			}
		}
	}
	if d.br.exhausted() {
		return dataEndsError{nMCU, nMCU}
	}
	if err := d.checkDataUsed(); err != nil {
		return err
	}
	d.skipScanData(d.br.pos)
	return nil
}

// processRestart moves past a restart marker and resets the DC predictions.
func (d *decoder) processRestart(sc *scan) error {
	if err := d.checkDataUsed(); err != nil {
		return err
	}
	d.skipToMarker(d.br.pos)
	if d.pos+1 >= len(d.data) || d.data[d.pos+1] < markerRST0 || d.data[d.pos+1] > markerRST7 {
		return formatError("missing restart marker")
	}
	d.pos += 2
	d.br.reset(d.data, d.pos)
	for _, ci := range sc.comps {
		d.comp[ci].pred = 0
	}
	return nil
}

// skipToMarker moves d.pos to the next 0xFF that starts a marker, restart markers included.
func (d *decoder) skipToMarker(from int) {
	d.pos = from
	for d.pos+1 < len(d.data) {
		if d.data[d.pos] == 0xFF && d.data[d.pos+1] != 0 && d.data[d.pos+1] != 0xFF {
			return
		}
		d.pos++
	}
	d.pos = len(d.data)
}

// decodeBlock decodes the part of block i of component c that the scan codes.
// sci is the component's place in the scan.
func (d *decoder) decodeBlock(sc *scan, sci int, c *component, i int) error {
	br := &d.br
	switch sc.kind {
	case scanDCRefine:
		if br.receive(1) != 0 {
			c.coef[i] |= 1 << sc.al
		}
		return nil
	case scanDCFirst:
		s, err := sc.dc[sci].decode(br)
		if err != nil {
			return err
		}
		if s > 15 {
			return formatError("DC difference of %d bits", s)
		}
		c.pred += br.receiveExtend(uint(s))
		c.coef[i] = c.pred << sc.al
		return nil
	}
	// Sequential: the DC difference in one lookup when its code is short
	// (the common case), then the AC coefficients skipped.
	if br.n < 32 {
		br.fill() // at least 57 bits: a code of fastBits and 15 extra bits
	}
	if e := sc.dc[sci].fast[br.acc>>(64-fastBits)]; e != 0 && uint8(e) <= 15 {
		l, s := uint(e>>8), uint(e&0xFF)
		acc := br.acc << l
		v := int32(acc >> (64 - s)) // 0 when s is 0
		if s > 0 && v < 1<<(s-1) {
			v += (-1 << s) + 1 // EXTEND, ITU T.81 F.2.2.1
		}
		br.acc, br.n = acc<<s, br.n-l-s
		c.pred += v
	} else {
		s, err := sc.dc[sci].decode(br)
		if err != nil {
			return err
		}
		if s > 15 {
			return formatError("DC difference of %d bits", s)
		}
		c.pred += br.receiveExtend(uint(s))
	}
	c.coef[i] = c.pred
	return skipAC(br, sc.ac[sci], &c.quant)
}

// skipAC consumes the 63 AC coefficients of a sequential block without
// computing them: one table lookup per coefficient in the common case.
// Coefficients large enough to exceed maxDequantizedAC with some quantiser
// of q, the block's table, go to the slow path, which checks them.
//
// A run of zeros that carries the index past the last coefficient is an
// error. image/jpeg and libjpeg stop the block there and read on, but no
// encoder writes one: it is the mark of entropy-coded data that has lost
// its place (a flipped bit), after which every block decodes to noise. The
// DC-only image would show something else than a full decode of that noise,
// so the file is refused rather than given a picture no decoder agrees on.
func skipAC(br *bitReader, t *huffman, q *[64]uint16) error {
	// The fast path keeps the bit buffer in registers (acc, n) and writes it
	// back only to refill or to leave: through br, every coefficient would
	// load and store both.
	table := t.skipPair
	acc, n := br.acc, br.n
	k := 1
	for k < 64 {
		if n < maxSkipBits {
			// Eight bytes at once when none is 0xFF (as fill's fast path),
			// else fill, which handles stuffing, markers and the end.
			if p := br.pos; p+8 <= len(br.data) {
				if w := binary.BigEndian.Uint64(br.data[p:]); !hasFF(w) {
					acc |= w >> (n & 63)
					k8 := (64 - n) >> 3
					br.pos = p + int(k8)
					n += k8 << 3
					goto refilled
				}
			}
			br.acc, br.n = acc, n
			br.fill() // at least 57 bits: a code and its extra bits
			acc, n = br.acc, br.n
		}
	refilled:
		e := table[acc>>(64-pairBits)]
		if k >= int(e>>pairLimitShift) {
			// The first coefficient ends the block: the second is the next
			// block's, or an error the slow path reports.
			e = uint32(t.skipAC[acc>>(64-skipBits)])
		}
		if e == 0 {
			br.acc, br.n = acc, n
			adv, err := skipACSlow(br, t, k, q)
			if err != nil || adv == endOfBlock {
				return err
			}
			acc, n = br.acc, br.n
			k += adv
			continue
		}
		used := uint(e & pairUsedMask)
		acc <<= used & 63
		n -= used
		k += int(e>>pairAdvShift) & 0xFF
	}
	br.acc, br.n = acc, n
	if k > 64 && k < endOfBlock {
		return errRunPastBlock
	}
	return nil
}

// skipACSlow skips one AC coefficient whose code the skipAC table does not
// hold, k the position it may take at the earliest, and returns how many
// positions it advances (endOfBlock at the end of the block). It reads the
// coefficient's value and refuses one larger than 8-bit samples make with
// the quantiser of its position (see checkACValue).
func skipACSlow(br *bitReader, t *huffman, k int, q *[64]uint16) (int, error) {
	sym, err := t.decode(br)
	if err != nil {
		return 0, err
	}
	run, size := int(sym>>4), uint(sym&15)
	if size == 0 {
		if run != 15 {
			return endOfBlock, nil
		}
		return 16, nil
	}
	if size > 10 {
		// 8-bit samples code AC coefficients of at most 10 bits.
		return 0, formatError("AC coefficient of %d bits", size)
	}
	v := br.receiveExtend(size)
	if k+run > 63 {
		return 0, errRunPastBlock
	}
	if err := checkACValue(v, 0, k+run, q); err != nil {
		return 0, err
	}
	return run + 1, nil
}

// maxUnusedScanBytes is how much entropy-coded data may be left unread where
// a scan, or a restart interval, ends: the last byte's padding bits, and a
// little slack for encoders that pad more.
const maxUnusedScanBytes = 8

// checkDataUsed refuses a scan or restart interval whose blocks are all
// decoded while more than maxUnusedScanBytes of its data remain before the
// next marker. A decoder that has lost its place in the bit stream (a
// flipped bit turning one Huffman code into another) decodes on as noise
// and rarely ends where the encoder did; libjpeg warns of "extraneous bytes
// before marker" and image/jpeg says nothing, each showing its own noise.
func (d *decoder) checkDataUsed() error {
	unread := 0
	if d.br.n > d.br.pad {
		unread = int(d.br.n-d.br.pad) / 8
	}
	for i := d.br.pos; i < len(d.data) && unread <= maxUnusedScanBytes; i++ {
		if d.data[i] == 0xFF && i+1 < len(d.data) && d.data[i+1] != 0 && d.data[i+1] != 0xFF {
			break // a marker
		}
		if d.data[i] == 0xFF && i+1 < len(d.data) && d.data[i+1] == 0 {
			i++ // a stuffed zero byte
		}
		unread++
	}
	if unread > maxUnusedScanBytes {
		return formatError("more than %d bytes of scan data after its last block", maxUnusedScanBytes)
	}
	return nil
}
