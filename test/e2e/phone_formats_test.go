package e2e

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// TestPhoneFormatsGetUprightThumbnails drops an iPhone-style HEIC (a grid
// with a thumbnail item) and an AVIF, both stored sideways with irot and
// EXIF orientation, into the local cloud: each gets an upright 128x128
// thumbnail whose key, bytes and Content-Type agree.
func TestPhoneFormatsGetUprightThumbnails(t *testing.T) {
	e := start(t, cloudOptions{})
	dir := filepath.Join(root, toolchain.TestModuleDir, "testdata", "heif")
	heic := readFile(t, filepath.Join(dir, "IMG_0002.HEIC"))
	avif := readFile(t, filepath.Join(dir, "sideways.avif"))
	e.put("phone/IMG_0002.HEIC", heic, "")
	e.put("phone/sideways-avif", avif, "") // no extension: the source's format, JPEG for AVIF
	e.put("phone/sideways.avif", avif, "") // the key asks for AVIF
	e.wait()
	for _, key := range []string{"phone/IMG_0002.HEIC", "phone/sideways-avif", "phone/sideways.avif"} {
		if invs := e.cloud.Invocations(key); len(invs) != 1 || invs[0].Result.Failed() {
			t.Fatalf("%s: invocations %+v", key, invs)
		}
	}
	// A key naming HEIC gets a JPEG thumbnail under the same key: deletes
	// and the backfills pair a thumbnail with its original by name.
	img, format := e.thumbnail("phone/IMG_0002.HEIC")
	if format != "jpeg" {
		t.Errorf("HEIC thumbnail is %s, want jpeg", format)
	}
	assertUpright(t, img)
	if _, ok := e.get(e.prefix + "phone/IMG_0002.HEIC.jpg"); ok {
		t.Errorf("a thumbnail was written under a key the original does not have")
	}
	img, format = e.thumbnail("phone/sideways-avif")
	if format != "jpeg" {
		t.Errorf("AVIF thumbnail under a key without extension is %s, want jpeg", format)
	}
	assertUpright(t, img)
	obj, ok := e.get(e.prefix + "phone/sideways.avif")
	if !ok {
		t.Fatalf("no AVIF thumbnail")
	}
	if obj.contentType != "image/avif" || len(obj.data) < 12 || !bytes.Equal(obj.data[4:12], []byte("ftypavif")) {
		t.Errorf("thumbnail of sideways.avif: Content-Type %q, starts % x; want AVIF", obj.contentType, obj.data[:min(12, len(obj.data))])
	}
}
