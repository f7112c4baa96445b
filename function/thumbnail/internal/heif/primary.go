package heif

import "strings"

// Bounds of the item payloads read whole.
const (
	maxGridBytes = 64      // a grid item is 8 or 12 bytes
	maxExifBytes = 1 << 20 // EXIF of a photo is tens of kilobytes
)

// properties are the properties of one item that the walker uses.
type properties struct {
	width, height int
	hasSize       bool
	transform     transform
	transformed   bool
	icc           []byte
	nclx          *NCLX
	bitDepth      int
	auxType       string
}

// properties reads the properties ipma associates with item id.
func (p *parser) properties(id uint32) (properties, error) {
	out := properties{transform: identity}
	it := p.items[id]
	if it == nil {
		return out, nil
	}
	for _, idx := range it.props {
		if int(idx) > len(p.props) {
			return out, formatError("item %d names property %d of %d", id, idx, len(p.props))
		}
		b := p.props[idx-1]
		r := &reader{b: b.body, box: b.typ}
		switch b.typ {
		case "ispe":
			r.fullBox()
			w, h := r.u32(), r.u32()
			if r.err != nil {
				return out, r.err
			}
			if w == 0 || h == 0 || w > 1<<30 || h > 1<<30 {
				return out, formatError("item %d declares size %dx%d", id, w, h)
			}
			out.width, out.height, out.hasSize = int(w), int(h), true
		case "irot":
			a := r.u8()
			if r.err != nil {
				return out, r.err
			}
			out.transform, out.transformed = out.transform.then(irot(a)), true
		case "imir":
			a := r.u8()
			if r.err != nil {
				return out, r.err
			}
			out.transform, out.transformed = out.transform.then(imir(a)), true
		case "colr":
			switch r.fourcc() {
			case "nclx":
				n := &NCLX{ColourPrimaries: r.u16(), TransferCharacteristics: r.u16(), MatrixCoefficients: r.u16(), FullRange: r.u8()&0x80 != 0}
				if r.err != nil {
					return out, r.err
				}
				out.nclx = n
			case "prof", "rICC":
				if r.err == nil && r.left() > 0 {
					out.icc = b.body[r.off:]
				}
			}
		case "pixi":
			r.fullBox()
			n := int(r.u8())
			for c := 0; c < n && r.err == nil; c++ {
				out.bitDepth = max(out.bitDepth, int(r.u8()))
			}
			if r.err != nil {
				return out, r.err
			}
		case "auxC":
			r.fullBox()
			if r.err == nil {
				s := b.body[r.off:]
				if i := strings.IndexByte(string(s), 0); i >= 0 {
					s = s[:i]
				}
				out.auxType = string(s)
			}
		}
	}
	return out, nil
}

// codecOf returns the codec of an item type, "" for a type not decoded here.
func codecOf(typ string) Codec {
	switch typ {
	case "hvc1":
		return HEVC
	case "av01":
		return AV1
	}
	return ""
}

// primary resolves the primary item: its codec, size, transforms, colour,
// grid layout, EXIF, alpha and thumbnails.
func (p *parser) primary() error {
	id := p.pitm
	p.info.PrimaryID = id
	it := p.items[id]
	if it == nil || it.typ == "" {
		return formatError("primary item %d has no item information", id)
	}
	props, err := p.properties(id)
	if err != nil {
		return err
	}
	info := p.info
	info.Orientation, info.HasTransform = props.transform.orientation(), props.transformed
	info.ICC, info.NCLX, info.BitDepth = props.icc, props.nclx, props.bitDepth
	info.Width, info.Height = props.width, props.height
	switch it.typ {
	case "grid":
		if err := p.grid(id, props); err != nil {
			return err
		}
	default:
		info.Codec = codecOf(it.typ)
		if info.Codec == "" {
			return UnsupportedError("primary item of type " + quote(it.typ))
		}
		if !it.located {
			return formatError("primary item %d has no location", id)
		}
	}
	if !props.hasSize && info.Grid == nil {
		return formatError("primary item %d has no size (ispe)", id)
	}
	p.related(id)
	return nil
}

// grid reads a grid item's layout and checks its tiles.
func (p *parser) grid(id uint32, props properties) error {
	d, err := p.itemData(id, maxGridBytes)
	if err != nil {
		return err
	}
	r := &reader{b: d, box: "grid"}
	version, flags := r.u8(), r.u8()
	rows, cols := int(r.u8())+1, int(r.u8())+1
	var ow, oh uint32
	if flags&1 != 0 {
		ow, oh = r.u32(), r.u32()
	} else {
		ow, oh = uint32(r.u16()), uint32(r.u16())
	}
	switch {
	case r.err != nil:
		return r.err
	case version != 0:
		return formatError("grid version %d", version)
	case ow == 0 || oh == 0 || ow > 1<<30 || oh > 1<<30:
		return formatError("grid output size %dx%d", ow, oh)
	case rows*cols > MaxTiles:
		return limitError("grid of %dx%d = %d tiles, limit %d", cols, rows, rows*cols, MaxTiles)
	case props.hasSize && (props.width != int(ow) || props.height != int(oh)):
		return formatError("grid output %dx%d differs from its ispe %dx%d", ow, oh, props.width, props.height)
	}
	var tiles []uint32
	for _, ref := range p.refs {
		if ref.typ == "dimg" && ref.from == id {
			if len(tiles)+len(ref.to) > MaxTiles {
				return limitError("grid references more than %d tiles", MaxTiles)
			}
			tiles = append(tiles, ref.to...)
		}
	}
	if len(tiles) != rows*cols {
		return formatError("grid of %dx%d tiles references %d", cols, rows, len(tiles))
	}
	g := &Grid{Rows: rows, Columns: cols, OutputWidth: int(ow), OutputHeight: int(oh), TileIDs: tiles}
	var codec Codec
	for i, t := range tiles {
		ti := p.items[t]
		if ti == nil || !ti.located {
			return formatError("grid tile %d (item %d) has no location", i, t)
		}
		c := codecOf(ti.typ)
		switch {
		case c == "":
			return UnsupportedError("grid tile of type " + quote(ti.typ))
		case codec != "" && c != codec:
			return formatError("grid mixes %s and %s tiles", codec, c)
		}
		codec = c
		if i == 0 {
			tp, err := p.properties(t)
			if err != nil {
				return err
			}
			if !tp.hasSize {
				return formatError("grid tile %d has no size (ispe)", t)
			}
			g.TileWidth, g.TileHeight = tp.width, tp.height
		}
	}
	if int64(g.TileWidth)*int64(cols) < int64(ow) || int64(g.TileHeight)*int64(rows) < int64(oh) {
		return formatError("%dx%d tiles of %dx%d do not cover the grid's %dx%d", cols, rows, g.TileWidth, g.TileHeight, ow, oh)
	}
	p.info.Codec, p.info.Grid = codec, g
	p.info.Width, p.info.Height = int(ow), int(oh)
	return nil
}

// related finds the items describing the primary image: its EXIF, alpha
// plane and thumbnails. A broken optional item is ignored, as decoders do.
func (p *parser) related(id uint32) {
	for _, ref := range p.refs {
		if !contains(ref.to, id) {
			continue
		}
		from := p.items[ref.from]
		if from == nil {
			continue
		}
		switch ref.typ {
		case "cdsc":
			if from.typ == "Exif" && p.info.Exif == nil {
				p.info.Exif = p.exif(ref.from)
			}
		case "auxl":
			if pr, err := p.properties(ref.from); err == nil && isAlpha(pr.auxType) {
				p.info.HasAlpha = true
			}
		case "thmb":
			c := codecOf(from.typ)
			pr, err := p.properties(ref.from)
			if c == "" || err != nil || !pr.hasSize || !from.located || ref.from == id {
				continue
			}
			p.info.Thumbnails = append(p.info.Thumbnails, Thumbnail{
				ID: ref.from, Codec: c, Width: pr.width, Height: pr.height, Orientation: pr.transform.orientation(),
			})
		}
	}
}

// exif returns the TIFF structure of an Exif item: its payload starts with
// the 32-bit offset of the TIFF header from the end of that field.
func (p *parser) exif(id uint32) []byte {
	d, err := p.itemData(id, maxExifBytes)
	if err != nil || len(d) < 4 {
		return nil
	}
	off := uint64(d[0])<<24 | uint64(d[1])<<16 | uint64(d[2])<<8 | uint64(d[3])
	if off > uint64(len(d)-4) {
		return nil
	}
	t := d[4+off:]
	if len(t) < 8 {
		return nil
	}
	return t
}

func isAlpha(auxType string) bool {
	return auxType == "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha" || auxType == "urn:mpeg:hevc:2015:auxid:1"
}

func contains(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func quote(typ string) string { return "\"" + printable(typ) + "\"" }
