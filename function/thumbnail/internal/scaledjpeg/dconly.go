package scaledjpeg

import (
	"image"
	"sync"
)

// decodeDC decodes a JPEG at 1/8 scale from the DC coefficients alone: each
// 8x8 block becomes its mean, which is exactly the box average of the block.
// Sequential scans still have every AC coefficient skipped bit by bit;
// progressive AC scans are skipped whole, without Huffman decoding.
//
// No Go library decodes DC-only: jpegn's 1/8 path decodes every coefficient
// and, for progressive files, keeps all of them in memory (72 MB for 12 MP).
// It returns errNoDCPath for files it leaves to a general decoder.
func decodeDC(data []byte) (image.Image, error) {
	d := newDecoder(data)
	defer d.release()
	if len(data) < 2 || data[0] != 0xFF || data[1] != markerSOI {
		return nil, formatError("missing SOI marker")
	}
	d.pos = 2
	for {
		m, err := d.nextMarker()
		if err != nil {
			return nil, err
		}
		switch {
		case m == markerEOI:
			if d.nComp == 0 {
				return nil, formatError("missing SOF marker")
			}
			return d.image()
		case m >= markerRST0 && m <= markerRST7, m == markerSOI:
			// No payload; stray ones are ignored as image/jpeg does.
		case m == markerSOF0 || m == markerSOF1 || m == markerSOF2:
			p, err := d.segment(m)
			if err != nil {
				return nil, err
			}
			if err := d.processSOF(p, m); err != nil {
				return nil, err
			}
		case m >= 0xC3 && m <= 0xCF && m != markerDHT && m != 0xC8 && m != 0xCC:
			return nil, errNoDCPath // lossless, hierarchical or arithmetic-coded
		case m == markerSOS:
			p, err := d.segment(m)
			if err != nil {
				return nil, err
			}
			if err := d.processSOS(p); err != nil {
				return nil, err
			}
		default:
			p, err := d.segment(m)
			if err != nil {
				return nil, err
			}
			if err := d.processSegment(m, p); err != nil {
				return nil, err
			}
		}
	}
}

// processSegment handles the table and application markers.
func (d *decoder) processSegment(m byte, p []byte) error {
	switch {
	case m == markerDQT:
		return d.processDQT(p)
	case m == markerDHT:
		return d.processDHT(p)
	case m == markerDRI:
		if len(p) != 2 {
			return formatError("DRI marker of %d bytes", len(p)+2)
		}
		d.restart = int(p[0])<<8 | int(p[1])
	case m >= markerAPP0 && m <= 0xEF:
		d.processApp(p, m)
	}
	return nil
}

// decoders keeps decoders, with their Huffman tables and DC planes, for the
// next call: a warm function decodes one image after another.
var decoders sync.Pool

// newDecoder returns a decoder for data, reusing a pooled one's memory.
func newDecoder(data []byte) *decoder {
	d, ok := decoders.Get().(*decoder)
	if !ok {
		return &decoder{data: data}
	}
	var planes [len(d.comp)][]int32
	for i := range d.comp {
		planes[i] = d.comp[i].coef[:0]
	}
	*d = decoder{data: data}
	for i := range d.comp {
		d.comp[i].coef = planes[i]
	}
	return d
}

// release returns d to the pool without the source bytes, which must not
// outlive the call.
func (d *decoder) release() {
	d.data, d.br = nil, bitReader{}
	decoders.Put(d)
}
