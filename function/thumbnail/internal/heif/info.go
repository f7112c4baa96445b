// Package heif reads the container of HEIF images (HEIC, AVIF) without
// decoding any pixels: the brands, the primary item's size, rotation and
// mirroring, colour profile, EXIF, grid layout and thumbnail items.
//
// It is written here rather than taken from a library because the decoders
// (libheif, libavif) run as WebAssembly and parse the file only after their
// memory is committed: the limits and the decode budget need the size and
// the layout first, from a walk that is bounded in boxes, depth, items and
// tiles whatever the file declares (bounds.go).
package heif

// Codec is the coding of the primary image's pixels.
type Codec string

// Codecs of HEIF images that the pipeline decodes.
const (
	HEVC Codec = "hvc1" // HEIC: the file is decoded by libheif
	AV1  Codec = "av01" // AVIF: the file is decoded by libavif
)

// Info is what the container says about its primary image.
type Info struct {
	// MajorBrand and Brands are the ftyp box's brands.
	MajorBrand string
	Brands     []string
	// Codec is the coding of the primary image (of its tiles for a grid).
	Codec Codec
	// Width and Height are the primary image's size as stored, before
	// rotation: its ispe property (for a grid, equal to the grid's output size).
	Width, Height int
	// Orientation is the EXIF orientation (1-8) equal to the primary item's
	// irot and imir properties taken in the order the file lists them; 1 when
	// it has neither. HasTransform says whether it had any.
	Orientation  int
	HasTransform bool
	// ICC is the profile of a colr box of type prof or rICC, nil if none.
	// It is a sub-slice of the input.
	ICC []byte
	// NCLX holds the colour description of a colr box of type nclx, nil if none.
	NCLX *NCLX
	// Exif is the TIFF structure (from its byte-order mark) of the Exif item
	// describing the primary image, nil if none. A sub-slice of the input.
	Exif []byte
	// Grid describes the primary image's tiles when it is a grid, else nil.
	Grid *Grid
	// Thumbnails are the items that declare themselves thumbnails (thmb) of the primary image.
	Thumbnails []Thumbnail
	// HasAlpha says an auxiliary alpha image belongs to the primary image.
	HasAlpha bool
	// BitDepth is the largest bits per channel of the pixi property, 0 if absent.
	BitDepth int
	// PrimaryID is the primary item's ID.
	PrimaryID uint32

	pitmOff, pitmSize int     // where the primary item ID is stored in the file
	parsed            *parser // the item tables, for Payload and Property
}

// NCLX is a colour description by code points (ITU-T H.273).
type NCLX struct {
	ColourPrimaries         uint16
	TransferCharacteristics uint16
	MatrixCoefficients      uint16
	FullRange               bool
}

// Grid is the layout of a grid item: Rows x Columns tiles of TileWidth x
// TileHeight, cropped to OutputWidth x OutputHeight.
type Grid struct {
	Rows, Columns             int
	TileWidth, TileHeight     int
	OutputWidth, OutputHeight int
	// TileIDs are the tiles' item IDs, row by row.
	TileIDs []uint32
}

// Tiles is the number of tiles.
func (g Grid) Tiles() int { return g.Rows * g.Columns }

// Thumbnail is an item that declares itself a thumbnail of the primary image.
type Thumbnail struct {
	ID            uint32
	Codec         Codec
	Width, Height int // as stored, before rotation
	Orientation   int // EXIF orientation equal to its own irot/imir
}

// WithPrimary returns a copy of data whose primary item is id instead, so a
// decoder that reads only the primary image decodes that item (a thumbnail).
// The copy has the same length: only the pitm box's item ID changes.
func (i *Info) WithPrimary(data []byte, id uint32) ([]byte, error) {
	if i.pitmSize == 0 || i.pitmOff+i.pitmSize > len(data) {
		return nil, formatError("no primary item box to rewrite")
	}
	if i.pitmSize == 2 && id > 0xFFFF {
		return nil, formatError("item ID %d does not fit the pitm box", id)
	}
	out := append([]byte(nil), data...)
	switch i.pitmSize {
	case 2:
		out[i.pitmOff], out[i.pitmOff+1] = byte(id>>8), byte(id)
	case 4:
		out[i.pitmOff], out[i.pitmOff+1], out[i.pitmOff+2], out[i.pitmOff+3] = byte(id>>24), byte(id>>16), byte(id>>8), byte(id)
	}
	return out, nil
}

// Payload returns the bytes of item id (at most max of them), as its
// location says: the coded image of a hvc1 or av01 item, the payload of an
// Exif item. For tools and tests that take items from one file into another.
func (i *Info) Payload(id uint32, max int) ([]byte, error) {
	if i.parsed == nil {
		return nil, formatError("no item tables")
	}
	return i.parsed.itemData(id, max)
}

// Property returns the body of the first property of type typ (hvcC, av1C,
// ispe...) associated with item id, nil if it has none.
func (i *Info) Property(id uint32, typ string) []byte {
	p := i.parsed
	if p == nil || p.items[id] == nil {
		return nil
	}
	for _, idx := range p.items[id].props {
		if int(idx) <= len(p.props) && p.props[idx-1].typ == typ {
			return p.props[idx-1].body
		}
	}
	return nil
}

// Detach drops what Info holds of the input (ICC, Exif and the item
// tables), so the input can be released while Info is kept. Payload and
// Property answer nothing afterwards; WithPrimary still works.
func (i *Info) Detach() {
	i.ICC, i.Exif, i.parsed = nil, nil, nil
}
