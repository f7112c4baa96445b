package thumbnail

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The hostile-file suite: inputs built to make a decoder allocate far more
// than they weigh, or to trip a parser. Each case is built deterministically
// by the test (hostile_*_test.go, one file per format) and runs through Make
// with the input already in memory. A case is either refused with a typed
// error or turned into a thumbnail, and in both cases the bytes Make
// allocates stay under the bound the case states and the CPU time it takes
// under maxCPUPerInput.

// allocBound is the most a case may allocate: fixed bytes plus a multiple of the input's size.
type allocBound struct {
	fixed    uint64
	perInput uint64
}

// of is the bound for an input of n bytes.
func (b allocBound) of(n int) uint64 { return b.fixed + b.perInput*uint64(n) }

const mib = 1 << 20

var (
	// fromHeader: refused from the headers. Make holds one copy of the input
	// and a few small buffers, never pixels.
	fromHeader = allocBound{fixed: 4 * mib, perInput: 1}
	// bounded: decoded by the streamed PNG decoder, whose memory does not
	// follow the declared size, by the DC-only JPEG decoder, which holds one
	// coefficient per block (24 MB for 64 MP at 4:4:4), or by a small
	// full-size decode.
	bounded = allocBound{fixed: 32 * mib, perInput: 2}
	// metadataOnly: a small image carrying large metadata, which must cost
	// nothing beyond the copy of the input Make reads.
	metadataOnly = allocBound{fixed: 16 * mib, perInput: 1}
)

// fullSize bounds a decode that holds the whole image: what the decoder is
// estimated to allocate (each format's layout, see overBudget) and the small
// change of bounded.
func fullSize(estimate int64) allocBound {
	return allocBound{fixed: uint64(estimate) + bounded.fixed, perInput: bounded.perInput}
}

// hostileCase is one input and what Make must do with it.
type hostileCase struct {
	name  string
	input func(t testing.TB) []byte
	opts  Options
	// kind is the error expected, nil when a thumbnail must come out.
	kind error
	// reason is a part of the error's Reason when kind is set, or the source
	// format Make must report when it is not ("" when any will do).
	reason string
	bound  allocBound
	// check, when set, looks further at the thumbnail made.
	check func(t testing.TB, r *Result)
}

// hostileCases lists the cases of every format.
func hostileCases() []hostileCase {
	var all []hostileCase
	for _, cases := range [][]hostileCase{
		hostilePNG(), hostileJPEG(), hostileGIF(), hostileWebP(), hostileEXIF(), hostileAnyFormat(),
	} {
		all = append(all, cases...)
	}
	return all
}

func TestHostileFiles(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.input(t)
			var (
				r   *Result
				err error
			)
			var cpu time.Duration
			alloc := allocatedBy(func() {
				cpu = cpuTimeOf(t, func() { r, err = Make(bytes.NewReader(data), tc.opts) })
			})
			if cpu > maxCPUPerInput {
				t.Errorf("took %v of CPU, bound %v", cpu, maxCPUPerInput)
			}
			if limit := tc.bound.of(len(data)); alloc > limit {
				t.Errorf("allocated %d bytes (%.1f MiB) for %d bytes of input, bound %d (%.1f MiB)",
					alloc, float64(alloc)/mib, len(data), limit, float64(limit)/mib)
			}
			t.Logf("%d bytes in, %.1f MiB allocated, %v of CPU", len(data), float64(alloc)/mib, cpu)
			if tc.kind != nil {
				e := wantKind(t, err, tc.kind)
				if !strings.Contains(e.Reason, tc.reason) {
					t.Errorf("reason %q, want it to contain %q", e.Reason, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("Make: %v", err)
			}
			decodeResult(t, r)
			w, h := tc.opts.withDefaults().Width, tc.opts.withDefaults().Height
			if r.Width != w || r.Height != h {
				t.Errorf("thumbnail %dx%d, want %dx%d", r.Width, r.Height, w, h)
			}
			if tc.reason != "" && string(r.SourceFormat) != tc.reason {
				t.Errorf("source format %q, want %q", r.SourceFormat, tc.reason)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// hostileAnyFormat holds the cases that are not about one decoder: empty
// input, text, and bytes whose name says another format.
func hostileAnyFormat() []hostileCase {
	return []hostileCase{
		{name: "zero bytes", input: constant(nil), kind: ErrUnsupported, reason: "empty input (0 bytes)", bound: fromHeader},
		{name: "text named .png", input: constant([]byte("<html><body>not a picture</body></html>\n")),
			kind: ErrUnsupported, reason: `not an image (starts with text "<html><body>not ")`, bound: fromHeader},
		{name: "one byte", input: constant([]byte{0xFF}), kind: ErrUnsupported, reason: "not an image", bound: fromHeader},
		{name: "png signature alone", input: constant([]byte("\x89PNG\r\n\x1a\n")), kind: ErrCorrupt, reason: "png header", bound: fromHeader},
		{name: "jpeg start of image alone", input: constant([]byte{0xFF, 0xD8, 0xFF}), kind: ErrCorrupt, reason: "jpeg header", bound: fromHeader},
		{name: "gif signature alone", input: constant([]byte("GIF89a")), kind: ErrCorrupt, reason: "gif header", bound: fromHeader},
		{name: "riff webp header alone", input: constant([]byte("RIFF\x04\x00\x00\x00WEBP")), kind: ErrCorrupt, reason: "webp header", bound: fromHeader},
		// The object name never decides the format: a PNG uploaded as
		// photo.jpg is read as the PNG it is.
		{name: "png named .jpg", input: func(t testing.TB) []byte { return encodePNGBytes(t, quadrants(300, 200, red, green, blue, white)) },
			reason: string(PNG), bound: bounded},
	}
}

// constant is an input that is the same bytes every time.
func constant(b []byte) func(testing.TB) []byte {
	return func(testing.TB) []byte { return b }
}
