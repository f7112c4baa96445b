package main

// notes explains how the figures come about and what bounds them. It names
// no figure, so it holds whatever the tables show.
const notes = `## How, and what limits it

- **JPEG, shrink-on-load.** The decode step asks for the smallest image that
  still scales down to the thumbnail. A JPEG is then decoded at the smallest of
  1/2, 1/4 or 1/8 scale that keeps both sides at least twice that size. At 1/8
  our own decoder (function/thumbnail/internal/scaledjpeg) reads only the DC
  coefficient of each 8x8 block: the mean of the block, an exact box filter.
  In a baseline file every AC coefficient must still be Huffman-decoded to be
  skipped, and that entropy decoding is nearly all of the remaining time: the
  skip keeps the bit buffer in registers, refills eight bytes at a time and
  looks up two coefficients at once when both codes and their extra bits fit
  in 12 bits (one otherwise, and a slow path for long codes). A progressive file stores AC coefficients in scans of
  their own: only the first scan of each band is read, with the same
  one-lookup skip, to refuse coefficients no 8-bit image makes, and the
  refinement scans are skipped without decoding, so it is the cheapest input
  of all, where libvips decodes every coefficient. 1/2 and 1/4 scales use
  github.com/gen2brain/jpegn (RGB and CMYK files, which jpegn gets wrong,
  image/jpeg at full size); 12-bit and arithmetic-coded files go to
  image/jpeg. image/jpeg is the reference in differential and fuzz tests.
- **PNG, streamed.** The format has no reduced decode, so rows are inflated,
  unfiltered and box-averaged one at a time by the largest whole factor that
  keeps twice the thumbnail's size (function/thumbnail/internal/pngstream):
  memory is the source bytes plus a few rows, never the 48 MB a 12 MP RGBA
  image takes. Inflating takes half of the CPU time and is the limit. It is
  function/thumbnail/internal/inflate, written for this: a whole-buffer
  inflater in the style of libdeflate that reads the IDAT payloads in place,
  with a 64-bit bit buffer refilled eight bytes at a time, tables whose one
  lookup gives a symbol, its length and its extra bits, and a call-free loop
  (about 2x compress/zlib and 1.7x github.com/klauspost/compress on this
  file; differential and fuzz tests against compress/flate and
  compress/zlib). sharp's zlib-ng is still faster: in Go each literal costs
  a dependent load, shift and store with bounds checks, and a photo's image
  data is mostly literals. After inflating come unfiltering (15% of the
  instructions), the box filter (12%) and the Adler-32 check (now sixteen
  bytes a step with lane multiplications, twice hash/adler32's speed);
  unfiltering fused with the box filter is the next step.
- **HEIC and AVIF, WebAssembly.** Neither format has a reduced decode: the
  HEVC or AV1 frame is decoded whole, then averaged down inside the decoder's
  memory, to twice the thumbnail, so that only a small copy leaves it
  (function/thumbnail/heif.go; an
  HEIC file with a thumbnail item at least twice the box is read from that
  item instead, and these sources have none). The decoders are libheif with
  libde265 and libavif with aom, compiled to WebAssembly and run by wazero's
  compiler: no cgo and no system library, but none of the hand-written SIMD
  assembly native builds use (libde265's SSE, aom's and dav1d's AVX2 and
  NEON), every memory access bounds-checked, one thread. libvips and sharp
  run native decoders, so these rows' ratios are several times JPEG's and
  their targets record where we stand, not parity. The whole process also
  compiles the module each time (BenchmarkCodecCompile); the function does
  that once per cold start and keeps the compiled code in /tmp for a
  restart. Their peak memory is the decoder's: its linear memory holds the
  full-size picture and the codec's buffers, bounded by the decode budget.
- **Whole process.** The command makes one thumbnail and exits, so it lets
  the heap grow to 512 MiB before collecting (function/cmd/thumbnail/gc.go):
  otherwise reading the source starts a collection at once, whose idle
  workers spend tens of milliseconds of CPU on the other core and free
  nothing, since what is read stays live until exit. The Lambda function,
  which serves many requests, keeps Go's default collector.
- **Warm, per image.** A warm function pays per thumbnail, not per process,
  so the warm table is the comparison that decides cost: sharp in process
  has no start-up to pay, where vipsthumbnail pays libvips' on every image.
  The machine is shared, so single runs vary; the ratios, from interleaved
  rounds, move less than the times.
- **Memory.** Our peak is mostly the source file itself: the pipeline reads the
  whole object (at most the byte limit) before decoding, because the header
  checks and the EXIF orientation need it. Everything decoded is small.
- **Quality.** The delivered thumbnail of a JPEG is itself a JPEG at quality 85,
  whose compression, not the resize, accounts for most of its distance from the
  ideal; the resampling columns show the resize alone.
`
