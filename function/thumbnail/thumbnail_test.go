package thumbnail

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// TestGoTestdata runs every image in Go's own image/testdata through Make:
// each decodes to a 128x128 thumbnail in its own format.
func TestGoTestdata(t *testing.T) {
	entries, err := os.ReadDir(goImageTestdata())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Format{".jpeg": JPEG, ".png": PNG, ".gif": GIF}
	n := 0
	for _, e := range entries {
		format, ok := want[filepath.Ext(e.Name())]
		if !ok {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(goImageTestdata(), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			r := mustMake(t, data, Options{})
			if r.SourceFormat != format || r.Format != format {
				t.Errorf("source %s, output %s, want %s for both", r.SourceFormat, r.Format, format)
			}
			if r.ContentType() != format.ContentType() {
				t.Errorf("content type %q, want %q", r.ContentType(), format.ContentType())
			}
			if r.Width != 128 || r.Height != 128 {
				t.Errorf("thumbnail %dx%d, want 128x128", r.Width, r.Height)
			}
			decodeResult(t, r)
		})
	}
	if n < 30 {
		t.Fatalf("found %d images in %s, want the 30+ Go ships", n, goImageTestdata())
	}
}

// TestTruncated cuts valid files of every format short: each fails ErrCorrupt.
// (Go's video-001.progressive.truncated.jpeg is not among them: despite its name it
// ends with a proper EOI marker after fewer scans, and Go decodes it by design.)
func TestTruncated(t *testing.T) {
	files := []string{
		"video-001.jpeg", "video-001.cmyk.jpeg", "video-001.png", "basn6a16.png",
		"gray-gradient.interlaced.png", "triangle-001.gif", "video-001.lossy.webp",
		"gopher-doc.with-alpha.lossless.webp", "yellow_rose.lossy-with-alpha.webp",
	}
	for _, name := range files {
		data := readTestdata(t, name)
		for _, keep := range []int{len(data) / 2, len(data) * 9 / 10, 40} {
			t.Run(name+"/"+strconv.Itoa(keep), func(t *testing.T) {
				_, err := Make(bytes.NewReader(data[:keep]), Options{})
				e := wantKind(t, err, ErrCorrupt)
				if strings.Contains(e.Reason, "\n") || e.Reason == "" {
					t.Errorf("reason %q: want one non-empty line", e.Reason)
				}
			})
		}
	}
}

// TestInputsMatchReferences checks colours against a second rendering of the
// same picture: the thumbnails of both must agree within a tolerance that
// covers lossy coding but not a wrong colour transform.
func TestInputsMatchReferences(t *testing.T) {
	tests := []struct {
		name            string
		input, ref      string
		maxDiff         int
		meanDiff        float64
		wantTransparent bool
	}{
		// Adobe CMYK is stored inverted; a decoder that forgets turns the picture
		// into its negative (mean difference over 100).
		{"cmyk jpeg", "video-001.cmyk.jpeg", "video-001.cmyk.png", 8, 0.5, false},
		{"ycbcr jpeg", "video-001.jpeg", "video-001.png", 32, 2, false},
		// Lossy VP8 at this size smears edges; the mean still tells a right picture
		// (about 9) from wrong colours (over 30).
		{"lossy webp", "video-001.lossy.webp", "video-001.png", 160, 12, false},
		{"lossless webp with alpha", "gopher-doc.with-alpha.lossless.webp", "gopher-doc.with-alpha.png", 0, 0, true},
		{"interlaced png", "gray-gradient.interlaced.png", "gray-gradient.png", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Format: PNG}
			got := decodeResult(t, mustMake(t, readTestdata(t, tt.input), opts))
			want := decodeResult(t, mustMake(t, readTestdata(t, tt.ref), opts))
			maxDiff, meanDiff := imageDiff(t, got, want)
			if maxDiff > tt.maxDiff || meanDiff > tt.meanDiff {
				t.Errorf("differs from %s: max %d (limit %d), mean %.2f (limit %.2f)",
					tt.ref, maxDiff, tt.maxDiff, meanDiff, tt.meanDiff)
			}
			if hasTransparent(got) != tt.wantTransparent {
				t.Errorf("has transparent pixels: %v, want %v", hasTransparent(got), tt.wantTransparent)
			}
		})
	}
}

func hasTransparent(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a < 0xffff {
				return true
			}
		}
	}
	return false
}

// TestSixteenBitPNG checks a 16-bit PNG gives the same thumbnail as its 8-bit copy.
func TestSixteenBitPNG(t *testing.T) {
	wide := image.NewNRGBA64(image.Rect(0, 0, 300, 200))
	narrow := image.NewNRGBA(wide.Bounds())
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			c := color.NRGBA64{R: uint16(x * 218), G: uint16(y * 327), B: 0x8080, A: uint16(0xffff - x*100)}
			wide.SetNRGBA64(x, y, c)
			narrow.Set(x, y, c)
		}
	}
	opts := Options{Format: PNG}
	got := decodeResult(t, mustMake(t, encodePNGBytes(t, wide), opts))
	want := decodeResult(t, mustMake(t, encodePNGBytes(t, narrow), opts))
	// The 8-bit copy loses a little when premultiplied in 8 bits; a misread
	// 16-bit sample (wrong byte, wrong order) would be off by far more.
	if maxDiff, _ := imageDiff(t, got, want); maxDiff > 4 {
		t.Errorf("16-bit thumbnail differs from the 8-bit one by %d, want at most 4", maxDiff)
	}
	if !hasTransparent(got) {
		t.Error("16-bit alpha lost")
	}
}

// TestAnimatedGIF checks only the first frame of an animation is used, placed
// at its offset on the logical screen.
func TestAnimatedGIF(t *testing.T) {
	pal := color.Palette{color.Transparent, color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 255}}
	frame := func(r image.Rectangle, index uint8) *image.Paletted {
		p := image.NewPaletted(r, pal)
		for i := range p.Pix {
			p.Pix[i] = index
		}
		return p
	}
	anim := &gif.GIF{
		// The first frame, red, covers the left half of the 64x32 screen; the
		// second, blue, covers all of it.
		Image:  []*image.Paletted{frame(image.Rect(0, 0, 32, 32), 1), frame(image.Rect(0, 0, 64, 32), 2)},
		Delay:  []int{10, 10},
		Config: image.Config{ColorModel: pal, Width: 64, Height: 32},
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, anim); err != nil {
		t.Fatal(err)
	}
	r := mustMake(t, buf.Bytes(), Options{Mode: ModeStretch, Width: 64, Height: 32, Format: PNG})
	img := decodeResult(t, r)
	if got := rgba8(img.At(8, 16)); !near(got, [4]int{255, 0, 0, 255}, 8) {
		t.Errorf("left half %v, want the first frame's red", got)
	}
	if got := rgba8(img.At(56, 16)); got[3] > 8 {
		t.Errorf("right half %v, want transparent: the first frame does not cover it", got)
	}
	if r.SourceWidth != 64 || r.SourceHeight != 32 {
		t.Errorf("source %dx%d, want the logical screen 64x32", r.SourceWidth, r.SourceHeight)
	}
}

// TestOutputFormats checks every output format: Result.Format, ContentType and
// the bytes agree, for opaque and transparent sources.
func TestOutputFormats(t *testing.T) {
	sources := map[string][]byte{
		"opaque jpeg":      readTestdata(t, "video-001.jpeg"),
		"transparent webp": readTestdata(t, "yellow_rose.lossy-with-alpha.webp"),
	}
	tests := []struct {
		format    Format
		keepAlpha bool
		mime      string
	}{
		{JPEG, false, "image/jpeg"},
		{PNG, true, "image/png"},
		{GIF, true, "image/gif"},
		{WebP, true, "image/webp"},
	}
	for name, data := range sources {
		for _, tt := range tests {
			t.Run(name+" to "+string(tt.format), func(t *testing.T) {
				r := mustMake(t, data, Options{Format: tt.format})
				if r.Format != tt.format || r.ContentType() != tt.mime {
					t.Errorf("format %s, content type %s; want %s, %s", r.Format, r.ContentType(), tt.format, tt.mime)
				}
				img := decodeResult(t, r)
				source := decodeResult(t, mustMake(t, data, Options{Format: PNG}))
				if want := hasTransparent(source) && tt.keepAlpha; hasTransparent(img) != want {
					t.Errorf("has transparent pixels: %v, want %v", hasTransparent(img), want)
				}
			})
		}
	}
}

// TestJPEGFlattensOntoWhite checks transparent areas become white, not black, in JPEG.
func TestJPEGFlattensOntoWhite(t *testing.T) {
	clear := color.NRGBA{0, 0, 0, 0}
	red := color.NRGBA{255, 0, 0, 255}
	src := quadrants(64, 64, clear, clear, red, red)
	img := decodeResult(t, mustMake(t, encodePNGBytes(t, src), Options{Format: JPEG, Width: 64, Height: 64}))
	if got := rgba8(img.At(32, 8)); !near(got, [4]int{255, 255, 255, 255}, 6) {
		t.Errorf("transparent half became %v, want white", got)
	}
	if got := rgba8(img.At(32, 56)); !near(got, [4]int{255, 0, 0, 255}, 24) {
		t.Errorf("opaque half became %v, want red", got)
	}
}

// TestFormatDefaultsToSource checks an unset Options.Format keeps the input's format.
func TestFormatDefaultsToSource(t *testing.T) {
	for _, name := range []string{"video-001.jpeg", "video-001.png", "triangle-001.gif", "video-001.lossy.webp"} {
		r := mustMake(t, readTestdata(t, name), Options{})
		if r.Format != r.SourceFormat || r.Format != FormatFromName(name) {
			t.Errorf("%s: output %s, source %s; want both %s", name, r.Format, r.SourceFormat, FormatFromName(name))
		}
	}
}

// TestModes checks the output size of each mode for landscape, portrait and small sources.
func TestModes(t *testing.T) {
	tests := []struct {
		name         string
		srcW, srcH   int
		opts         Options
		wantW, wantH int
	}{
		{"fill landscape", 300, 100, Options{Mode: ModeFill}, 128, 128},
		{"fill portrait", 100, 300, Options{Mode: ModeFill}, 128, 128},
		{"fill small is enlarged", 20, 10, Options{Mode: ModeFill}, 128, 128},
		{"fit landscape", 300, 100, Options{Mode: ModeFit}, 128, 43},
		{"fit portrait", 100, 300, Options{Mode: ModeFit}, 43, 128},
		{"fit thin line keeps a pixel", 10000, 2, Options{Mode: ModeFit}, 128, 1},
		{"fit small keeps its size", 20, 10, Options{Mode: ModeFit}, 20, 10},
		{"stretch", 300, 100, Options{Mode: ModeStretch}, 128, 128},
		{"stretch to a rectangle", 100, 100, Options{Mode: ModeStretch, Width: 200, Height: 50}, 200, 50},
		{"fill to a rectangle", 100, 100, Options{Mode: ModeFill, Width: 64, Height: 32}, 64, 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := image.NewGray(image.Rect(0, 0, tt.srcW, tt.srcH))
			tt.opts.Format = PNG
			r := mustMake(t, encodePNGBytes(t, src), tt.opts)
			if r.Width != tt.wantW || r.Height != tt.wantH {
				t.Errorf("%dx%d -> %dx%d, want %dx%d", tt.srcW, tt.srcH, r.Width, r.Height, tt.wantW, tt.wantH)
			}
			decodeResult(t, r)
		})
	}
}

// TestFillCropsCentre checks fill keeps the middle of a wide image and drops its sides.
func TestFillCropsCentre(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 300; x++ {
			c := color.NRGBA{0, 0, 255, 255} // blue sides
			if x >= 100 && x < 200 {
				c = color.NRGBA{0, 255, 0, 255} // green centre
			}
			src.SetNRGBA(x, y, c)
		}
	}
	img := decodeResult(t, mustMake(t, encodePNGBytes(t, src), Options{Format: PNG}))
	for _, x := range []int{4, 64, 123} {
		if got := rgba8(img.At(x, 64)); !near(got, [4]int{0, 255, 0, 255}, 8) {
			t.Errorf("pixel (%d,64) = %v, want the green centre", x, got)
		}
	}
}

// TestDeterministic checks the same input and options give the same bytes.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"video-001.jpeg", "basn6a16.png", "yellow_rose.lossy-with-alpha.webp", "triangle-001.gif"} {
		for _, f := range []Format{JPEG, PNG, GIF, WebP} {
			data := readTestdata(t, name)
			a := mustMake(t, data, Options{Format: f})
			b := mustMake(t, data, Options{Format: f})
			if !bytes.Equal(a.Data, b.Data) {
				t.Errorf("%s as %s: two runs differ", name, f)
			}
		}
	}
}

// TestOptions checks zero fields take defaults and bad options are refused
// before the source is read.
func TestOptions(t *testing.T) {
	data := readTestdata(t, "video-001.jpeg")
	r := mustMake(t, data, Options{})
	if r.Width != DefaultWidth || r.Height != DefaultHeight || r.Format != JPEG {
		t.Errorf("zero options gave %dx%d %s, want the defaults", r.Width, r.Height, r.Format)
	}
	bad := []struct {
		name string
		opts Options
		want string
	}{
		{"negative width", Options{Width: -1}, "size -1x128"},
		{"huge box", Options{Width: MaxOutputSide + 1}, "each side must be"},
		{"unknown mode", Options{Mode: "zoom"}, `mode "zoom"`},
		{"quality over 100", Options{Quality: 101}, "quality 101"},
		{"unknown format", Options{Format: "bmp"}, `output format "bmp"`},
		{"negative byte limit", Options{Limits: Limits{MaxBytes: -1}}, "max bytes -1"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			src := &countingReader{r: bytes.NewReader(data)}
			_, err := Make(src, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if IsPermanent(err) {
				t.Errorf("bad options reported as a bad image: %v", err)
			}
			if src.n != 0 {
				t.Errorf("read %d bytes before refusing the options", src.n)
			}
		})
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestReadError checks a failing reader is reported as such, not as a bad image.
func TestReadError(t *testing.T) {
	boom := errors.New("connection reset")
	data := readTestdata(t, "video-001.jpeg")
	src := io.MultiReader(bytes.NewReader(data[:100]), iotest.ErrReader(boom))
	_, err := Make(src, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want it to wrap %v", err, boom)
	}
	if IsPermanent(err) {
		t.Errorf("read failure reported as permanent: %v", err)
	}
}

// TestReadsPlainReaders checks sources without a length (an S3 body) work, read in small pieces.
func TestReadsPlainReaders(t *testing.T) {
	data := readTestdata(t, "video-001.png")
	r, err := Make(iotest.OneByteReader(bytes.NewReader(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	decodeResult(t, r)
}

// TestConcurrentMake checks Make can run on many goroutines at once (as the
// function does under load) and each gets the same thumbnail.
func TestConcurrentMake(t *testing.T) {
	data := readTestdata(t, "video-001.jpeg")
	want := mustMake(t, data, Options{})
	const n = 8
	results := make(chan []byte, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			r, err := Make(bytes.NewReader(data), Options{})
			if err != nil {
				errs <- err
				return
			}
			results <- r.Data
		}()
	}
	for range n {
		select {
		case err := <-errs:
			t.Fatal(err)
		case got := <-results:
			if !bytes.Equal(got, want.Data) {
				t.Error("a concurrent run made different bytes")
			}
		}
	}
}
