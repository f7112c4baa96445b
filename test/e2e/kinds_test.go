package e2e

import (
	"image"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// input is an image file uploaded under a key.
type input struct {
	key, path string
}

// inputKinds gathers one file of every kind the function reads: the demo samples and
// the variants in Go's own image test data (progressive, CMYK, grey and subsampled
// JPEGs, interlaced and low-depth GIFs) and in golang.org/x/image's (lossless WebP with
// alpha).
func inputKinds(t *testing.T) []input {
	t.Helper()
	goroot := goEnv(t, "", "env", "GOROOT")
	xImage := goEnv(t, filepath.Join(root, toolchain.TestModuleDir), "list", "-m", "-f", "{{.Dir}}", "golang.org/x/image")
	std := filepath.Join(goroot, "src", "image", "testdata")
	x := filepath.Join(xImage, "testdata")
	return []input{
		{"kinds/phone-exif-6.jpg", samplePath("phone/IMG_0001.jpg")},
		{"kinds/transparent.png", samplePath("transparent.png")},
		{"kinds/animated.gif", samplePath("animated.gif")},
		{"kinds/rose.webp", samplePath("rose.webp")},
		{"kinds/baseline.jpeg", filepath.Join(std, "video-001.jpeg")},
		{"kinds/progressive.jpeg", filepath.Join(std, "video-001.progressive.jpeg")},
		{"kinds/cmyk.jpeg", filepath.Join(std, "video-001.cmyk.jpeg")},
		{"kinds/gray.jpeg", filepath.Join(std, "video-005.gray.jpeg")},
		{"kinds/subsampled-411.jpeg", filepath.Join(std, "video-001.q50.411.jpeg")},
		{"kinds/restart-markers.jpeg", filepath.Join(std, "video-001.restart2.jpeg")},
		{"kinds/interlaced.gif", filepath.Join(std, "video-001.interlaced.gif")},
		{"kinds/5bpp.gif", filepath.Join(std, "video-001.5bpp.gif")},
		{"kinds/gray.png", filepath.Join(std, "video-005.gray.png")},
		{"kinds/lossless-alpha.webp", filepath.Join(x, "gopher-doc.with-alpha.lossless.webp")},
		{"kinds/lossless.webp", filepath.Join(x, "tux.lossless.webp")},
	}
}

func TestEveryInputKindGetsAThumbnail(t *testing.T) {
	e := start(t, cloudOptions{})
	inputs := inputKinds(t)
	formats := map[string]string{}
	for _, in := range inputs {
		data := readFile(t, in.path)
		_, format, err := image.DecodeConfig(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("%s: %v", in.path, err)
		}
		formats[in.key] = format
		e.put(in.key, data, "")
	}
	e.wait()
	cacheControl := e.cloud.Stack().Function.Environment["THUMBNAIL_CACHE_CONTROL"]
	for _, in := range inputs {
		t.Run(strings.TrimPrefix(in.key, "kinds/"), func(t *testing.T) {
			if invs := e.cloud.Invocations(in.key); len(invs) != 1 || invs[0].Result.Failed() {
				t.Fatalf("invocations: %+v", invs)
			}
			img, format := e.thumbnail(in.key)
			if format != formats[in.key] {
				t.Errorf("thumbnail is %s, original %s", format, formats[in.key])
			}
			if obj, _ := e.get(e.prefix + in.key); cacheControl != "" && obj.cacheControl != cacheControl {
				t.Errorf("Cache-Control %q, want %q", obj.cacheControl, cacheControl)
			}
			if in.key == "kinds/phone-exif-6.jpg" {
				assertUpright(t, img)
			}
		})
	}
}

// assertUpright checks the phone sample's thumbnail shows its scene upright: sky (blue)
// at the top, meadow (green) at the bottom. Stored sideways, the sky is on the right.
func assertUpright(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	top := img.At(b.Min.X+10, b.Min.Y+5)
	bottom := img.At(b.Min.X+10, b.Max.Y-5)
	tr, tg, tb, _ := top.RGBA()
	br, bg, bb, _ := bottom.RGBA()
	if !(tb > tr && tb > tg) || !(bg > br && bg > bb) {
		t.Errorf("EXIF orientation not applied: top %v, bottom %v", top, bottom)
	}
}

// goEnv runs a go command in dir and returns its trimmed output.
func goEnv(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}
