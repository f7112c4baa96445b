package scaledjpeg

import (
	"bytes"
	"encoding/binary"
)

// Markers, ITU T.81 table B.1.
const (
	markerSOF0 = 0xC0 // baseline
	markerSOF1 = 0xC1 // extended sequential, Huffman
	markerSOF2 = 0xC2 // progressive, Huffman
	markerDHT  = 0xC4
	markerRST0 = 0xD0
	markerRST7 = 0xD7
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerDQT  = 0xDB
	markerDRI  = 0xDD
	markerAPP0 = 0xE0
	markerAPPE = 0xEE // Adobe
)

// component is one colour component of the frame and its DC plane.
type component struct {
	id     uint8
	h, v   int        // sampling factors
	tq     int        // quantization table
	bw, bh int        // plane size in blocks, padded to whole MCUs
	cw, ch int        // blocks a non-interleaved scan codes
	coef   []int32    // quantized DC coefficient of every block
	quant  [64]uint16 // quantization table, zigzag order, taken when the first scan of the component starts
	qSet   bool
	pred   int32 // DC prediction
}

// decoder holds the state of one DC-only decode.
type decoder struct {
	data          []byte
	pos           int
	width, height int
	progressive   bool
	nComp         int
	comp          [4]component
	hMax, vMax    int
	mcusX, mcusY  int
	quant         [4][64]uint16 // quantization tables, zigzag order
	quantSet      [4]bool
	dcTab, acTab  [4]huffman
	restart       int // restart interval in MCUs, 0 when none
	jfif          bool
	adobe         bool
	adobeXform    uint8
	scans         int
	scanned       uint8 // components a sequential scan has coded, one bit each
	br            bitReader
}

// nextMarker moves past the next marker and returns its code. Stray bytes
// before it are skipped, as libjpeg and image/jpeg do.
func (d *decoder) nextMarker() (byte, error) {
	for {
		for d.pos < len(d.data) && d.data[d.pos] != 0xFF {
			d.pos++
		}
		for d.pos < len(d.data) && d.data[d.pos] == 0xFF {
			d.pos++
		}
		if d.pos >= len(d.data) {
			return 0, formatError("data ends before the EOI marker")
		}
		m := d.data[d.pos]
		d.pos++
		if m != 0 { // 0xFF 0x00 outside a scan is stray data
			return m, nil
		}
	}
}

// segment returns the payload of the marker segment at d.pos and moves past it.
func (d *decoder) segment(marker byte) ([]byte, error) {
	if d.pos+2 > len(d.data) {
		return nil, formatError("marker 0x%02X: data ends in its length", marker)
	}
	n := int(binary.BigEndian.Uint16(d.data[d.pos:]))
	if n < 2 || d.pos+n > len(d.data) {
		return nil, formatError("marker 0x%02X: length %d does not fit the data", marker, n)
	}
	p := d.data[d.pos+2 : d.pos+n]
	d.pos += n
	return p, nil
}

// skipScanData moves d.pos from inside entropy-coded data to the next marker
// that is neither a stuffed byte nor a restart marker.
func (d *decoder) skipScanData(from int) {
	d.pos = from
	for {
		i := bytes.IndexByte(d.data[d.pos:], 0xFF)
		if i < 0 {
			d.pos = len(d.data)
			return
		}
		d.pos += i
		if d.pos+1 >= len(d.data) {
			return
		}
		m := d.data[d.pos+1]
		if m == 0 || m == 0xFF || (m >= markerRST0 && m <= markerRST7) {
			d.pos++
			continue
		}
		return
	}
}

// processSOF reads a frame header.
func (d *decoder) processSOF(p []byte, marker byte) error {
	if d.nComp != 0 {
		return formatError("more than one SOF marker")
	}
	if len(p) < 6 {
		return formatError("SOF marker too short")
	}
	if p[0] != 8 {
		return errNoDCPath // 12- or 16-bit samples
	}
	d.progressive = marker == markerSOF2
	d.height = int(binary.BigEndian.Uint16(p[1:]))
	d.width = int(binary.BigEndian.Uint16(p[3:]))
	n := int(p[5])
	if d.width == 0 || d.height == 0 {
		return formatError("image is %dx%d", d.width, d.height)
	}
	if n != 1 && n != 3 && n != 4 {
		return errNoDCPath // two components, or more than four
	}
	if len(p) != 6+3*n {
		return formatError("SOF marker length %d for %d components", len(p)+2, n)
	}
	d.nComp = n
	for i := 0; i < n; i++ {
		c := &d.comp[i]
		c.id = p[6+3*i]
		c.h, c.v = int(p[7+3*i]>>4), int(p[7+3*i]&15)
		c.tq = int(p[8+3*i])
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
			return formatError("component %d: sampling %dx%d, table %d", c.id, c.h, c.v, c.tq)
		}
		for j := 0; j < i; j++ {
			if d.comp[j].id == c.id {
				return formatError("repeated component id %d", c.id)
			}
		}
	}
	if n == 1 {
		// A lone component is coded block by block whatever its factors.
		d.comp[0].h, d.comp[0].v = 1, 1
	}
	d.hMax, d.vMax = 1, 1
	blocksPerMCU := 0
	for i := 0; i < n; i++ {
		d.hMax, d.vMax = max(d.hMax, d.comp[i].h), max(d.vMax, d.comp[i].v)
		blocksPerMCU += d.comp[i].h * d.comp[i].v
	}
	if n > 1 && blocksPerMCU > 10 {
		// ITU T.81 B.2.3: at most 10 blocks in an interleaved MCU; a
		// file beyond it can only code components one scan each.
		return errNoDCPath
	}
	d.mcusX = (d.width + 8*d.hMax - 1) / (8 * d.hMax)
	d.mcusY = (d.height + 8*d.vMax - 1) / (8 * d.vMax)
	for i := 0; i < n; i++ {
		c := &d.comp[i]
		c.bw, c.bh = d.mcusX*c.h, d.mcusY*c.v
		w := (d.width*c.h + d.hMax - 1) / d.hMax
		h := (d.height*c.v + d.vMax - 1) / d.vMax
		c.cw, c.ch = (w+7)/8, (h+7)/8
		if n := c.bw * c.bh; cap(c.coef) >= n {
			c.coef = c.coef[:n]
			clear(c.coef) // components missing from every scan stay mid-grey
		} else {
			c.coef = make([]int32, n)
		}
	}
	return nil
}

// processDQT keeps each quantization table of the segment.
func (d *decoder) processDQT(p []byte) error {
	for len(p) > 0 {
		pq, tq := p[0]>>4, int(p[0]&15)
		size := 1 + 64
		if pq == 1 {
			size = 1 + 128
		}
		if pq > 1 || tq > 3 || len(p) < size {
			return formatError("bad DQT marker")
		}
		for k := range d.quant[tq] {
			if pq == 0 {
				d.quant[tq][k] = uint16(p[1+k])
			} else {
				d.quant[tq][k] = binary.BigEndian.Uint16(p[1+2*k:])
			}
		}
		d.quantSet[tq] = true
		p = p[size:]
	}
	return nil
}

// processDHT builds each Huffman table in the segment.
func (d *decoder) processDHT(p []byte) error {
	for len(p) > 0 {
		if len(p) < 17 {
			return formatError("DHT marker too short")
		}
		tc, th := p[0]>>4, int(p[0]&15)
		if tc > 1 || th > 3 {
			return formatError("bad DHT table class %d or id %d", tc, th)
		}
		var counts [16]uint8
		copy(counts[:], p[1:17])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if total == 0 || total > 256 || len(p) < 17+total {
			return formatError("bad DHT marker: %d symbols", total)
		}
		t := &d.dcTab[th]
		if tc == 1 {
			t = &d.acTab[th]
		}
		if err := t.define(&counts, p[17:17+total]); err != nil {
			return err
		}
		p = p[17+total:]
	}
	return nil
}

// processApp notes the JFIF and Adobe markers, which decide the colour model.
func (d *decoder) processApp(p []byte, marker byte) {
	switch {
	case marker == markerAPP0 && len(p) >= 5 && string(p[:5]) == "JFIF\x00":
		d.jfif = true
	case marker == markerAPPE && len(p) >= 12 && string(p[:5]) == "Adobe":
		d.adobe = true
		d.adobeXform = p[11]
	}
}

// isRGB tells, as image/jpeg does, whether three components are R, G, B rather than Y, Cb, Cr.
func (d *decoder) isRGB() bool {
	if d.nComp != 3 || d.jfif {
		return false
	}
	if d.adobe && d.adobeXform == 0 {
		return true
	}
	return d.comp[0].id == 'R' && d.comp[1].id == 'G' && d.comp[2].id == 'B'
}
