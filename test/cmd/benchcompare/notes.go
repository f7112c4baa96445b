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
  their own, which are skipped without decoding, so it is the cheapest input
  of all, where libvips decodes every coefficient. 1/2 and 1/4 scales use
  github.com/gen2brain/jpegn; CMYK, RGB and 12-bit files go to image/jpeg at
  full size. image/jpeg is the reference in differential and fuzz tests.
- **PNG, streamed.** The format has no reduced decode, so rows are inflated,
  unfiltered and box-averaged one at a time by the largest whole factor that
  keeps twice the thumbnail's size (function/thumbnail/internal/pngstream):
  memory is the source bytes plus a few rows, never the 48 MB a 12 MP RGBA
  image takes. Inflating takes most of the CPU time and is the limit: the
  pure-Go inflater (github.com/klauspost/compress, faster than
  compress/zlib) is slower than the C zlib libvips uses, and sharp's zlib-ng
  is faster still (SIMD). After inflating come unfiltering, the box filter
  and the Adler-32 check, each a small share. The next steps would
  be a whole-buffer inflater in the style of libdeflate, or decoding straight
  from the source stream rather than from the bytes read first.
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
