package e2e

import "testing"

func TestDeletingAnOriginalDeletesItsThumbnail(t *testing.T) {
	e := start(t, cloudOptions{})
	e.put("gone soon.jpg", readFile(t, samplePath("my photos/red flower+bee.jpg")), "image/jpeg")
	e.wait()
	e.thumbnail("gone soon.jpg")

	e.delete("gone soon.jpg")
	e.wait()
	if _, ok := e.get(e.prefix + "gone soon.jpg"); ok {
		t.Error("the thumbnail outlived its original")
	}
	if n := len(e.cloud.Invocations("gone soon.jpg")); n != 2 {
		t.Errorf("%d invocations, want 2 (created, deleted)", n)
	}
}
