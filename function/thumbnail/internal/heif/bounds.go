package heif

// Bounds of the walk. A container is refused with a LimitError beyond them,
// so a hostile file costs at most a few thousand small steps and the
// allocations below, whatever it declares.
const (
	// MaxBoxes is the most boxes visited in one file, at all depths.
	MaxBoxes = 4096
	// MaxDepth is the deepest box nesting read (file > meta > iprp > ipco > colr is 4).
	MaxDepth = 6
	// MaxItems is the most items (iinf entries, iloc entries, ipma entries) read.
	MaxItems = 4096
	// MaxExtents is the most extents one item's location may have.
	MaxExtents = 64
	// MaxReferences is the most item references read, over all iref boxes.
	MaxReferences = 8192
	// MaxTiles is the most tiles a grid may have. The format allows 256x256;
	// phones write up to a few hundred (a 48 MP photo in 512x512 tiles is 192).
	MaxTiles = 4096
	// MaxProperties is the most item properties read from ipco.
	MaxProperties = 1024
)
