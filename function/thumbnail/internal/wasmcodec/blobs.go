package wasmcodec

import (
	// The codecs' WebAssembly builds (gzipped) are the packages' own
	// embedded files, taken by name below. Their Go wrappers are not used:
	// they run one wazero runtime each without a memory limit, a
	// compilation cache or a choice of engine, and copy what they decode.
	// Built with -tags nodynamic the packages never try a system library.
	_ "github.com/gen2brain/avif"
	_ "github.com/gen2brain/heic"
	_ "github.com/gen2brain/webp"
	_ "unsafe" // for go:linkname
)

//go:linkname heifWasm github.com/gen2brain/heic.heifWasm
var heifWasm []byte

//go:linkname avifDecodeWasm github.com/gen2brain/avif.decodeWasm
var avifDecodeWasm []byte

//go:linkname avifEncodeWasm github.com/gen2brain/avif.encodeWasm
var avifEncodeWasm []byte

//go:linkname webpWasm github.com/gen2brain/webp.webpWasm
var webpWasm []byte
