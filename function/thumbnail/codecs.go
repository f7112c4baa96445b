package thumbnail

import "github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/wasmcodec"

// UseCodecCache keeps the compiled WebAssembly codecs (HEIC and AVIF
// decoders, lossy WebP and AVIF encoders) in dir, so a process started again
// on the same disk loads them in tens of milliseconds instead of compiling
// for seconds. Call it before any thumbnail is made; "" keeps none.
func UseCodecCache(dir string) {
	wasmcodec.Configure(wasmcodec.Settings{CacheDir: dir})
}

// PrepareEncoder starts compiling, in the background, the WebAssembly
// encoder that output format f needs (lossy WebP, AVIF), so the first
// thumbnail does not wait for it; it does nothing for the other formats,
// so a JPEG-only function never starts a WebAssembly runtime.
func PrepareEncoder(f Format) {
	switch f {
	case WebP:
		go wasmcodec.PrecompileEncoders(true, false)
	case AVIF:
		go wasmcodec.PrecompileEncoders(false, true)
	}
}
