// Package heifbuild writes HEIF containers item by item, for tests and the
// benchmark inputs: grids, rotations, mirrors, colour profiles, thumbnails
// and hostile layouts that encoders do not write.
package heifbuild

import (
	"encoding/binary"
	"fmt"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/heif"
)

// Item is one item of the file: its type (hvc1, av01, grid, Exif), its
// payload, stored in mdat, and its property boxes, associated in order.
type Item struct {
	ID    uint32
	Type  string
	Data  []byte
	Props [][]byte
}

// Ref is an item reference (dimg, thmb, cdsc, auxl) from one item to others.
type Ref struct {
	Type string
	From uint32
	To   []uint32
}

// File is a HEIF file to write.
type File struct {
	Major      string
	Compatible []string
	Primary    uint32
	Items      []Item
	Refs       []Ref
}

// Box returns a box of type typ around the concatenated bodies.
func Box(typ string, bodies ...[]byte) []byte {
	n := 8
	for _, b := range bodies {
		n += len(b)
	}
	out := make([]byte, 8, n)
	binary.BigEndian.PutUint32(out, uint32(n))
	copy(out[4:], typ)
	for _, b := range bodies {
		out = append(out, b...)
	}
	return out
}

// FullBox returns a box with a version and flags before the bodies.
func FullBox(typ string, version uint8, flags uint32, bodies ...[]byte) []byte {
	vf := binary.BigEndian.AppendUint32(nil, uint32(version)<<24|flags&0xFFFFFF)
	return Box(typ, append([][]byte{vf}, bodies...)...)
}

// U16 and U32 encode big-endian fields.
func U16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// U32 encodes a big-endian 32-bit field.
func U32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// Ispe is the image size property.
func Ispe(w, h int) []byte { return FullBox("ispe", 0, 0, U32(uint32(w)), U32(uint32(h))) }

// Irot rotates by angle x 90 degrees anticlockwise.
func Irot(angle int) []byte { return Box("irot", []byte{byte(angle & 3)}) }

// Imir flips top and bottom (0) or left and right (1).
func Imir(axis int) []byte { return Box("imir", []byte{byte(axis & 1)}) }

// ColrICC carries an ICC profile.
func ColrICC(icc []byte) []byte { return Box("colr", []byte("prof"), icc) }

// ColrNCLX carries colour code points.
func ColrNCLX(primaries, transfer, matrix uint16, full bool) []byte {
	f := byte(0)
	if full {
		f = 0x80
	}
	return Box("colr", []byte("nclx"), U16(primaries), U16(transfer), U16(matrix), []byte{f})
}

// GridData is the payload of a grid item of rows x cols tiles cropped to w x h.
func GridData(rows, cols, w, h int) []byte {
	if w > 0xFFFF || h > 0xFFFF {
		return append([]byte{0, 1, byte(rows - 1), byte(cols - 1)}, append(U32(uint32(w)), U32(uint32(h))...)...)
	}
	return append([]byte{0, 0, byte(rows - 1), byte(cols - 1)}, append(U16(uint16(w)), U16(uint16(h))...)...)
}

// ExifData is the payload of an Exif item holding a big-endian TIFF
// structure whose only tag is the orientation.
func ExifData(orientation int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, 0, 0, 0, 0, 0, 0}
	return append(U32(0), tiff...)
}

// Bytes writes the file: ftyp, meta (hdlr, pitm, iinf, iloc, iprp, iref), mdat.
func (f File) Bytes() []byte {
	major := f.Major
	if major == "" {
		major = "heic"
	}
	ftypBody := append([]byte(major), U32(0)...)
	for _, c := range f.Compatible {
		ftypBody = append(ftypBody, c...)
	}
	ftyp := Box("ftyp", ftypBody)
	// The meta box's size does not depend on the offsets, so write it once
	// to learn where mdat's payload starts, then again with the offsets.
	meta := f.meta(0)
	start := uint32(len(ftyp) + len(meta) + 8)
	meta = f.meta(start)
	var payload []byte
	for _, it := range f.Items {
		payload = append(payload, it.Data...)
	}
	out := append(ftyp, meta...)
	return append(out, Box("mdat", payload)...)
}

func (f File) meta(mdatStart uint32) []byte {
	hdlr := FullBox("hdlr", 0, 0, U32(0), []byte("pict"), make([]byte, 12), []byte{0})
	pitm := FullBox("pitm", 0, 0, U16(uint16(f.Primary)))
	var infes [][]byte
	for _, it := range f.Items {
		infes = append(infes, FullBox("infe", 2, 0, U16(uint16(it.ID)), U16(0), []byte(it.Type), []byte{0}))
	}
	iinf := FullBox("iinf", 0, 0, append([][]byte{U16(uint16(len(f.Items)))}, infes...)...)
	iloc := []byte{0x44, 0x00}
	iloc = append(iloc, U16(uint16(len(f.Items)))...)
	off := mdatStart
	for _, it := range f.Items {
		iloc = append(iloc, U16(uint16(it.ID))...)
		iloc = append(iloc, U16(0)...) // data reference
		iloc = append(iloc, U16(1)...) // one extent
		iloc = append(iloc, U32(off)...)
		iloc = append(iloc, U32(uint32(len(it.Data)))...)
		off += uint32(len(it.Data))
	}
	var props [][]byte
	var ipma []byte
	ipma = append(ipma, U32(uint32(len(f.Items)))...)
	for _, it := range f.Items {
		ipma = append(ipma, U16(uint16(it.ID))...)
		ipma = append(ipma, byte(len(it.Props)))
		for _, p := range it.Props {
			props = append(props, p)
			ipma = append(ipma, U16(uint16(len(props))|0x8000)...)
		}
	}
	iprp := Box("iprp", Box("ipco", props...), FullBox("ipma", 0, 1, ipma))
	var refs [][]byte
	for _, r := range f.Refs {
		b := append(U16(uint16(r.From)), U16(uint16(len(r.To)))...)
		for _, t := range r.To {
			b = append(b, U16(uint16(t))...)
		}
		refs = append(refs, Box(r.Type, b))
	}
	kids := [][]byte{hdlr, pitm, iinf, FullBox("iloc", 0, 0, iloc), iprp}
	if len(refs) > 0 {
		kids = append(kids, FullBox("iref", 0, 0, refs...))
	}
	return FullBox("meta", 0, 0, kids...)
}

// Coded is the coded image of a single-image file: its item type, its
// decoder configuration box (hvcC or av1C, whole) and its payload.
type Coded struct {
	Type          string
	Config        []byte
	Data          []byte
	Width, Height int
}

// CodedPrimary takes the primary image out of a file an encoder wrote, to be
// placed into files built here (as a tile, a thumbnail, a rotated image).
// For a grid it takes the first tile, with the tile's size.
func CodedPrimary(file []byte) (Coded, error) {
	info, err := heif.Parse(file)
	if err != nil {
		return Coded{}, err
	}
	id, w, h := info.PrimaryID, info.Width, info.Height
	if g := info.Grid; g != nil {
		id, w, h = g.TileIDs[0], g.TileWidth, g.TileHeight
	}
	cfgType := "hvcC"
	if info.Codec == heif.AV1 {
		cfgType = "av1C"
	}
	cfg := info.Property(id, cfgType)
	if cfg == nil {
		return Coded{}, fmt.Errorf("image item %d has no %s", id, cfgType)
	}
	data, err := info.Payload(id, len(file))
	if err != nil {
		return Coded{}, err
	}
	return Coded{Type: string(info.Codec), Config: Box(cfgType, cfg), Data: data, Width: w, Height: h}, nil
}

// Image returns an item of the coded image with its size and extra properties.
func (c Coded) Image(id uint32, props ...[]byte) Item {
	return Item{ID: id, Type: c.Type, Data: c.Data, Props: append([][]byte{c.Config, Ispe(c.Width, c.Height)}, props...)}
}
