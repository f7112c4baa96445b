package heif

// transform is a 2x2 matrix over (x right, y down) pixel coordinates taking a
// stored point to its displayed place.
type transform [4]int

var identity = transform{1, 0, 0, 1}

// then returns the transform that applies t and then u.
func (t transform) then(u transform) transform {
	return transform{
		u[0]*t[0] + u[1]*t[2], u[0]*t[1] + u[1]*t[3],
		u[2]*t[0] + u[3]*t[2], u[2]*t[1] + u[3]*t[3],
	}
}

// exifTransforms are the EXIF orientations 1-8 as transforms (index 0 unused).
var exifTransforms = [9]transform{
	{}, identity,
	{-1, 0, 0, 1},  // 2: mirror left-right
	{-1, 0, 0, -1}, // 3: rotate 180
	{1, 0, 0, -1},  // 4: mirror top-bottom
	{0, 1, 1, 0},   // 5: transpose
	{0, -1, 1, 0},  // 6: rotate 90 clockwise
	{0, -1, -1, 0}, // 7: transverse
	{0, 1, -1, 0},  // 8: rotate 90 anticlockwise
}

// orientation is the EXIF orientation equal to t.
func (t transform) orientation() int {
	for o := 1; o <= 8; o++ {
		if exifTransforms[o] == t {
			return o
		}
	}
	return 1 // unreachable: the products of rotations and mirrors are these eight
}

// irot returns the transform of an irot property: angle x 90 degrees anticlockwise.
func irot(angle uint8) transform {
	switch angle & 3 {
	case 1:
		return exifTransforms[8]
	case 2:
		return exifTransforms[3]
	case 3:
		return exifTransforms[6]
	}
	return identity
}

// imir returns the transform of an imir property. Its bit is read as
// ISO/IEC 23008-12:2022 and libheif and libavif (1.0 on) read it: 0 flips
// top and bottom (mirror about the horizontal axis), 1 swaps left and
// right. (The 2017 edition's wording said the opposite; files follow the
// libraries.)
func imir(axis uint8) transform {
	if axis&1 == 0 {
		return exifTransforms[4]
	}
	return exifTransforms[2]
}
