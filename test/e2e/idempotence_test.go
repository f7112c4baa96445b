package e2e

import (
	"testing"
)

func TestSameBytesAgainDoNotRewriteTheThumbnail(t *testing.T) {
	e := start(t, cloudOptions{})
	photo := readFile(t, samplePath("my photos/red flower+bee.jpg"))
	thumb := e.prefix + "again.jpg"

	e.put("again.jpg", photo, "image/jpeg")
	e.wait()
	first, ok := e.get(thumb)
	if !ok || e.cloud.Writes(thumb) != 1 {
		t.Fatalf("after the first upload: thumbnail %v, %d writes", ok, e.cloud.Writes(thumb))
	}

	e.put("again.jpg", photo, "image/jpeg")
	e.wait()
	if n := len(e.cloud.Invocations("again.jpg")); n != 2 {
		t.Fatalf("the second upload ran the function %d times in all, want 2", n)
	}
	second, _ := e.get(thumb)
	if w := e.cloud.Writes(thumb); w != 1 || second.etag != first.etag || !second.lastModified.Equal(first.lastModified) {
		t.Errorf("the same bytes again: %d thumbnail writes (want 1), ETag %s -> %s", w, first.etag, second.etag)
	}

	other := readFile(t, samplePath("phone/IMG_0001.jpg"))
	e.put("again.jpg", other, "image/jpeg")
	e.wait()
	if w := e.cloud.Writes(thumb); w != 2 {
		t.Errorf("new bytes: %d thumbnail writes, want 2", w)
	}
}
