package vp8

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail/internal/testimage"
)

func TestQuick(t *testing.T) {
	for _, q := range []string{"5", "50", "90", "100"} {
		data := payload(t, cwebp(t, testimage.Photo(203, 117), "-q", q))
		checkSameAsX(t, q, data)
		if _, err := decodeFork(data); err != nil {
			t.Fatal(err)
		}
	}
}
