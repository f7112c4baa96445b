package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// TestColourProfileThroughTheCloud uploads a flat Display P3 photo and
// checks that the deployed function converts it to sRGB as LittleCMS does
// and records the source profile on the thumbnail.
func TestColourProfileThroughTheCloud(t *testing.T) {
	profile := readFile(t, filepath.Join(root, "function/thumbnail/internal/icc/testdata/DisplayP3.icc"))
	p3 := color.NRGBA{200, 60, 40, 255}
	img := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = p3.R, p3.G, p3.B, p3.A
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	seg := append([]byte("ICC_PROFILE\x00\x01\x01"), profile...)
	data := append([]byte{0xFF, 0xD8, 0xFF, 0xE2, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	data = append(data, plain.Bytes()[2:]...)

	want := transiccP3(t, filepath.Join(root, "function/thumbnail/internal/icc/testdata/DisplayP3.icc"), p3)

	e := start(t, cloudOptions{})
	const key = "colour/p3.jpg"
	e.put(key, data, "image/jpeg")
	e.wait()
	thumb, _ := e.thumbnail(key)
	got := color.NRGBAModel.Convert(thumb.At(64, 64)).(color.NRGBA)
	for i, g := range []uint8{got.R, got.G, got.B} {
		if d := int(g) - int(want[i]+0.5); d < -3 || d > 3 {
			t.Errorf("thumbnail centre %v, LittleCMS's sRGB %.1f (channel %d off by %d)", got, want, i, d)
		}
	}
	head, err := e.client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(e.cloud.Bucket()), Key: aws.String(e.prefix + key)})
	if err != nil {
		t.Fatal(err)
	}
	if p := contract.MetadataValue(head.Metadata, contract.MetaSourceProfile); p != "Display P3" {
		t.Errorf("thumbnail metadata %s = %q, want Display P3", contract.MetaSourceProfile, p)
	}
}

// transiccP3 converts one colour with LittleCMS's transicc from the profile
// at path to sRGB (perceptual, clipped). It fails when transicc is missing.
func transiccP3(t *testing.T, path string, c color.NRGBA) [3]float64 {
	t.Helper()
	bin, err := exec.LookPath("transicc")
	if err != nil {
		t.Fatalf("transicc (LittleCMS, Debian package liblcms2-utils) is the colour reference and is not installed: %v", err)
	}
	cmd := exec.Command(bin, "-t0", "-s", "-n", "-i"+path, "-o*sRGB")
	cmd.Stdin = strings.NewReader(strconv.Itoa(int(c.R)) + " " + strconv.Itoa(int(c.G)) + " " + strconv.Itoa(int(c.B)) + "\n")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("transicc: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		t.Fatalf("transicc printed %q", out)
	}
	var v [3]float64
	for i := range v {
		if v[i], err = strconv.ParseFloat(f[i], 64); err != nil {
			t.Fatal(err)
		}
		v[i] = min(max(v[i], 0), 255)
	}
	return v
}
