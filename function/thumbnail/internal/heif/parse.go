package heif

import "strings"

// item is one entry of the item information, location and property boxes.
type item struct {
	typ     string
	method  uint8 // iloc construction method: 0 file offset, 1 idat, 2 item (not read)
	base    uint64
	extents []extent
	located bool
	props   []uint16 // 1-based ipco indices, in the order ipma lists them
}

type extent struct{ off, len uint64 }

// reference is one item reference of an iref box.
type reference struct {
	typ  string
	from uint32
	to   []uint32
}

// parser holds the meta box's contents while the primary image is resolved.
type parser struct {
	data  []byte
	w     walker
	items map[uint32]*item
	props []box
	refs  []reference
	nrefs int
	idat  []byte
	pitm  uint32
	info  *Info
}

// Parse walks the container in data and describes its primary image. It
// allocates in proportion to the boxes it reads (at most MaxBoxes, MaxItems,
// MaxReferences) and never copies pixel data.
func Parse(data []byte) (*Info, error) {
	p := &parser{data: data, items: map[uint32]*item{}, info: &Info{}}
	top, err := p.w.children(data, 0, 0, true)
	if err != nil {
		return nil, err
	}
	if len(top) == 0 || top[0].typ != "ftyp" {
		return nil, formatError("the file does not start with an ftyp box")
	}
	major, compatible, _ := ftypBrands(data)
	p.info.MajorBrand, p.info.Brands = major, compatible
	if _, ok := Sniff(data); !ok {
		return nil, formatError("brands %s do not name a HEIF image", strings.Join(append([]string{major}, compatible...), ","))
	}
	var meta *box
	for i := range top {
		if top[i].typ == "meta" {
			if meta != nil {
				return nil, formatError("two meta boxes at the top level")
			}
			meta = &top[i]
		}
	}
	if meta == nil {
		return nil, formatError("no meta box")
	}
	if err := p.meta(*meta); err != nil {
		return nil, err
	}
	if err := p.primary(); err != nil {
		return nil, err
	}
	p.info.parsed = p
	return p.info, nil
}

// meta reads the meta box's children.
func (p *parser) meta(m box) error {
	if len(m.body) < 4 {
		return formatError("meta box truncated")
	}
	kids, err := p.w.children(m.body[4:], m.off+4, 1, false)
	if err != nil {
		return err
	}
	var handler, pitm, iinf, iloc bool
	for _, b := range kids {
		switch b.typ {
		case "hdlr":
			r := &reader{b: b.body, box: "hdlr"}
			r.fullBox()
			r.u32()
			if h := r.fourcc(); r.err != nil {
				return r.err
			} else if h != "pict" {
				return formatError("handler %q is not pict: not an image", printable(h))
			}
			handler = true
		case "pitm":
			if pitm {
				return formatError("two pitm boxes")
			}
			r := &reader{b: b.body, box: "pitm"}
			v, _ := r.fullBox()
			p.info.pitmOff, p.info.pitmSize = b.off+4, 2
			if v > 0 {
				p.info.pitmSize = 4
			}
			p.pitm = r.id(v > 0)
			if r.err != nil {
				return r.err
			}
			pitm = true
		case "iinf":
			if err := p.iinf(b); err != nil {
				return err
			}
			iinf = true
		case "iloc":
			if iloc {
				return formatError("two iloc boxes")
			}
			if err := p.iloc(b); err != nil {
				return err
			}
			iloc = true
		case "iprp":
			if err := p.iprp(b); err != nil {
				return err
			}
		case "iref":
			if err := p.iref(b); err != nil {
				return err
			}
		case "idat":
			p.idat = b.body
		}
	}
	switch {
	case !handler:
		return formatError("no hdlr box in meta")
	case !pitm:
		return formatError("no primary item (pitm)")
	case !iinf:
		return formatError("no item information (iinf)")
	case !iloc:
		return formatError("no item locations (iloc)")
	}
	return nil
}

// itemFor returns the item with id, creating it within MaxItems.
func (p *parser) itemFor(id uint32) (*item, error) {
	if it := p.items[id]; it != nil {
		return it, nil
	}
	if len(p.items) >= MaxItems {
		return nil, limitError("more than %d items", MaxItems)
	}
	it := &item{}
	p.items[id] = it
	return it, nil
}

func (p *parser) iinf(b box) error {
	r := &reader{b: b.body, box: "iinf"}
	v, _ := r.fullBox()
	var n uint32
	if v == 0 {
		n = uint32(r.u16())
	} else {
		n = r.u32()
	}
	if r.err != nil {
		return r.err
	}
	if n > MaxItems {
		return limitError("iinf declares %d items, limit %d", n, MaxItems)
	}
	kids, err := p.w.children(b.body[r.off:], b.off+r.off, 2, false)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.typ != "infe" {
			continue
		}
		r := &reader{b: k.body, box: "infe"}
		v, _ := r.fullBox()
		if v < 2 {
			continue // versions 0 and 1 carry no item type
		}
		id := r.id(v > 2)
		r.u16() // item_protection_index
		typ := r.fourcc()
		if r.err != nil {
			return r.err
		}
		it, err := p.itemFor(id)
		if err != nil {
			return err
		}
		it.typ = typ
	}
	return nil
}

func (p *parser) iloc(b box) error {
	r := &reader{b: b.body, box: "iloc"}
	v, _ := r.fullBox()
	if v > 2 {
		return formatError("iloc version %d", v)
	}
	sizes := r.u16()
	offSize, lenSize, baseSize, idxSize := int(sizes>>12), int(sizes>>8&15), int(sizes>>4&15), int(sizes&15)
	if v == 0 {
		idxSize = 0
	}
	var n uint32
	if v < 2 {
		n = uint32(r.u16())
	} else {
		n = r.u32()
	}
	if r.err != nil {
		return r.err
	}
	if n > MaxItems {
		return limitError("iloc declares %d items, limit %d", n, MaxItems)
	}
	for i := uint32(0); i < n; i++ {
		id := r.id(v == 2)
		var method uint8
		if v > 0 {
			method = uint8(r.u16() & 15)
		}
		r.u16() // data_reference_index
		base := r.uint(baseSize)
		count := r.u16()
		if r.err != nil {
			return r.err
		}
		if count > MaxExtents {
			return limitError("item %d has %d extents, limit %d", id, count, MaxExtents)
		}
		it, err := p.itemFor(id)
		if err != nil {
			return err
		}
		if it.located {
			return formatError("item %d located twice", id)
		}
		it.method, it.base, it.located = method, base, true
		for e := uint16(0); e < count; e++ {
			if idxSize > 0 {
				r.uint(idxSize)
			}
			off := r.uint(offSize)
			ln := r.uint(lenSize)
			it.extents = append(it.extents, extent{off, ln})
		}
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

func (p *parser) iprp(b box) error {
	kids, err := p.w.children(b.body, b.off, 2, false)
	if err != nil {
		return err
	}
	for _, k := range kids {
		switch k.typ {
		case "ipco":
			if p.props != nil {
				return formatError("two ipco boxes")
			}
			props, err := p.w.children(k.body, k.off, 3, false)
			if err != nil {
				return err
			}
			if len(props) > MaxProperties {
				return limitError("%d item properties, limit %d", len(props), MaxProperties)
			}
			p.props = props
		case "ipma":
			if err := p.ipma(k); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parser) ipma(b box) error {
	r := &reader{b: b.body, box: "ipma"}
	v, flags := r.fullBox()
	n := r.u32()
	if r.err != nil {
		return r.err
	}
	if n > MaxItems {
		return limitError("ipma declares %d items, limit %d", n, MaxItems)
	}
	for i := uint32(0); i < n; i++ {
		id := r.id(v > 0)
		count := int(r.u8())
		if r.err != nil {
			return r.err
		}
		it, err := p.itemFor(id)
		if err != nil {
			return err
		}
		for a := 0; a < count; a++ {
			var idx uint16
			if flags&1 != 0 {
				idx = r.u16() & 0x7FFF
			} else {
				idx = uint16(r.u8() & 0x7F)
			}
			if idx != 0 {
				it.props = append(it.props, idx)
			}
		}
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

func (p *parser) iref(b box) error {
	r := &reader{b: b.body, box: "iref"}
	v, _ := r.fullBox()
	if r.err != nil {
		return r.err
	}
	kids, err := p.w.children(b.body[4:], b.off+4, 2, false)
	if err != nil {
		return err
	}
	for _, k := range kids {
		r := &reader{b: k.body, box: "iref " + printable(k.typ)}
		from := r.id(v > 0)
		n := int(r.u16())
		if r.err != nil {
			return r.err
		}
		if p.nrefs += n; p.nrefs > MaxReferences {
			return limitError("more than %d item references", MaxReferences)
		}
		width := 2
		if v > 0 {
			width = 4
		}
		if n*width > r.left() {
			return formatError("%s reference box declares %d references in %d bytes", printable(k.typ), n, r.left())
		}
		ref := reference{typ: k.typ, from: from, to: make([]uint32, n)}
		for i := range ref.to {
			ref.to[i] = r.id(v > 0)
		}
		p.refs = append(p.refs, ref)
	}
	return nil
}

// data returns the bytes of an item, at most max of them. An item in one
// extent is a sub-slice of the input; one in several is copied.
func (p *parser) itemData(id uint32, max int) ([]byte, error) {
	it := p.items[id]
	if it == nil || !it.located {
		return nil, formatError("item %d has no location", id)
	}
	var src []byte
	switch it.method {
	case 0:
		src = p.data
	case 1:
		src = p.idat
	default:
		return nil, UnsupportedError("item data built from other items")
	}
	var out []byte
	for i, e := range it.extents {
		start := it.base + e.off
		if start < it.base || start > uint64(len(src)) {
			return nil, formatError("item %d extent at %d is outside the file", id, start)
		}
		n := e.len
		if n == 0 {
			n = uint64(len(src)) - start
		}
		if n > uint64(len(src))-start {
			return nil, formatError("item %d extent of %d bytes at %d runs past the end", id, e.len, start)
		}
		if uint64(len(out))+n > uint64(max) {
			return nil, limitError("item %d holds more than %d bytes", id, max)
		}
		chunk := src[start : start+n]
		if len(it.extents) == 1 {
			return chunk, nil
		}
		if i == 0 {
			out = make([]byte, 0, min(max, 64<<10))
		}
		out = append(out, chunk...)
	}
	return out, nil
}
