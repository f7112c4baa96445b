package e2e

import (
	"testing"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3events"
)

// keyCases are keys that URL encoding and decoding get wrong when done carelessly.
var keyCases = []string{
	"with space.jpg",
	"plus+sign.jpg",
	"literal%20percent.jpg",
	"100%.jpg",
	"a+b c%2Bd.jpg",
	"unicode/日本語 ü.jpg",
	"deep/nested/folders/img (1).jpg",
	"special &=;:@,$!'*~.jpg",
}

// TestKeysRoundTrip runs under both key encodings, since the EventBridge documentation
// does not say whether S3 URL-encodes keys there as it does in notifications.
func TestKeysRoundTrip(t *testing.T) {
	photo := readFile(t, samplePath("my photos/red flower+bee.jpg"))
	for _, enc := range []s3events.KeyEncoding{s3events.KeyURL, s3events.KeyRaw} {
		t.Run(string(enc), func(t *testing.T) {
			e := start(t, cloudOptions{keys: enc})
			for _, key := range keyCases {
				e.put(key, photo, "image/jpeg")
			}
			e.wait()
			for _, key := range keyCases {
				if invs := e.cloud.Invocations(key); len(invs) != 1 || invs[0].Result.Failed() {
					t.Errorf("%q: invocations %+v", key, invs)
					continue
				}
				e.thumbnail(key)
			}
			if n := len(e.cloud.InvokedKeys()); n != len(keyCases) {
				t.Errorf("the function ran for %d keys, want %d", n, len(keyCases))
			}
		})
	}
}

// lookAlikes are pairs of keys that read the same once one of them is URL-decoded:
// an event naming the second must not be taken for the first, which already exists.
var lookAlikes = [][2]string{
	{"look/a b.jpg", "look/a+b.jpg"},
	{"look/c+d.jpg", "look/c d.jpg"},
	{"look/50A.jpg", "look/50%41.jpg"},
}

// TestLookAlikeKeysEachGetTheirOwnThumbnail uploads different images under keys that
// read alike, one after the other, under both key encodings: each must get a thumbnail
// made from its own bytes, under its own name.
func TestLookAlikeKeysEachGetTheirOwnThumbnail(t *testing.T) {
	first := readFile(t, samplePath("my photos/red flower+bee.jpg"))
	second := readFile(t, samplePath("phone/IMG_0001.jpg"))
	for _, enc := range []s3events.KeyEncoding{s3events.KeyRaw, s3events.KeyURL} {
		t.Run(string(enc), func(t *testing.T) {
			e := start(t, cloudOptions{keys: enc})
			var keys []string
			for _, pair := range lookAlikes {
				e.put(pair[0], first, "image/jpeg")
				e.wait()
				e.put(pair[1], second, "image/jpeg")
				e.wait()
				keys = append(keys, pair[0], pair[1])
			}
			e.checkUpToDate(keys...)
		})
	}
}
