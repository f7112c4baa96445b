package thumbnail

import (
	"bytes"
	"fmt"
	"io"

	"github.com/klauspost/compress/zlib"
)

// maxICCProfileBytes bounds an embedded ICC profile once inflated. JPEG can
// carry at most 255 APP2 segments of 65,519 bytes (16.7 MB); real profiles
// are a few KB to a few hundred KB.
const maxICCProfileBytes = 16 << 20

// iccProfile is the ICC profile embedded in a source, as its header stores
// it: the profile itself (JPEG APP2 segments reassembled in sequence order,
// WebP ICCP), or for PNG the zlib-compressed profile of iCCP and its name.
// The header step copies it out of the source, so the source's bytes can be
// released after decoding while the profile stays for a colour step.
type iccProfile struct {
	data       []byte // the profile, or its zlib stream when compressed
	compressed bool   // PNG iCCP: data is zlib-compressed
	name       string // PNG iCCP profile name, "" elsewhere
	// err says why a profile the container holds cannot be read out (JPEG
	// segments that make no whole profile, a malformed PNG iCCP chunk).
	err error
}

// embedded reports whether the source carries a profile.
func (p iccProfile) embedded() bool { return len(p.data) > 0 || p.err != nil }

// profile returns the profile's bytes, inflated when compressed, at most
// maxICCProfileBytes. It returns nil, nil when the source has none.
func (p iccProfile) profile() ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	if !p.compressed || p.data == nil {
		return p.data, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(p.data))
	if err != nil {
		return nil, fmt.Errorf("ICC profile %q: %v", p.name, err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxICCProfileBytes+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("ICC profile %q: %v", p.name, err)
	case len(out) > maxICCProfileBytes:
		return nil, fmt.Errorf("ICC profile %q: over %d bytes inflated", p.name, maxICCProfileBytes)
	}
	return out, nil
}

// copyICC returns a copy of a profile slice of the source, nil when empty.
func copyICC(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}
