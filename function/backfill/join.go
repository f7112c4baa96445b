package backfill

import (
	"fmt"
	"iter"
	"strings"
)

// Pair is one original key and what the two listings hold for it.
type Pair struct {
	// Key is the original's key; its thumbnail's key is the prefix followed by Key.
	Key string
	// Original is nil when only the thumbnail is listed.
	Original *Object
	// Thumbnail is nil when the original has no thumbnail.
	Thumbnail *Object
}

// Join merges the bucket's listing (every key, thumbnails included) and the
// listing under the output prefix into Pairs in key order, one per original
// key. Keys of the bucket's listing that lie under the prefix are dropped: they
// are thumbnails, and come through the second listing with the prefix cut off.
//
// Both listings must be in S3's order; one that goes backwards is an error,
// because the merge would then pair the wrong keys. Only the two current heads
// are held, so memory does not grow with the bucket.
func Join(bucket, thumbnails iter.Seq2[Object, error], prefix string) iter.Seq2[Pair, error] {
	return func(yield func(Pair, error) bool) {
		nextOriginal, stopOriginals := iter.Pull2(bucket)
		defer stopOriginals()
		nextThumbnail, stopThumbnails := iter.Pull2(thumbnails)
		defer stopThumbnails()

		originals := &cursor{listing: "of the bucket", next: nextOriginal, keyOf: func(k string) (string, bool, error) {
			return k, !strings.HasPrefix(k, prefix), nil
		}}
		thumbs := &cursor{listing: "under " + prefix, next: nextThumbnail, keyOf: func(k string) (string, bool, error) {
			if !strings.HasPrefix(k, prefix) {
				return "", false, fmt.Errorf("listing under %s returned %q, outside the prefix", prefix, k)
			}
			return k[len(prefix):], true, nil
		}}
		if err := originals.advance(); err != nil {
			yield(Pair{}, err)
			return
		}
		if err := thumbs.advance(); err != nil {
			yield(Pair{}, err)
			return
		}
		for originals.ok || thumbs.ok {
			var p Pair
			var err error
			switch {
			case !thumbs.ok || (originals.ok && originals.key < thumbs.key):
				o := originals.head
				p = Pair{Key: originals.key, Original: &o}
				err = originals.advance()
			case !originals.ok || thumbs.key < originals.key:
				t := thumbs.head
				p = Pair{Key: thumbs.key, Thumbnail: &t}
				err = thumbs.advance()
			default:
				o, t := originals.head, thumbs.head
				p = Pair{Key: originals.key, Original: &o, Thumbnail: &t}
				err = originals.advance()
				if err == nil {
					err = thumbs.advance()
				}
			}
			if !yield(p, nil) {
				return
			}
			if err != nil {
				yield(Pair{}, err)
				return
			}
		}
	}
}

// cursor is the head of one listing, checked for order and mapped to an original key.
type cursor struct {
	listing string // names the listing in errors
	next    func() (Object, error, bool)
	// keyOf maps a listed key to an original key, or says to drop it.
	keyOf func(listed string) (key string, keep bool, err error)

	head Object
	key  string // head's original key
	ok   bool   // head holds an object
	last string // the last key listed, kept or not
	seen bool
}

// advance moves to the next kept object; at the end, ok turns false.
func (c *cursor) advance() error {
	c.ok = false
	for {
		o, err, more := c.next()
		if !more {
			return nil
		}
		if err != nil {
			return err
		}
		if c.seen && o.Key <= c.last {
			return fmt.Errorf("listing %s out of order: %q came after %q", c.listing, o.Key, c.last)
		}
		c.last, c.seen = o.Key, true
		key, keep, err := c.keyOf(o.Key)
		if err != nil {
			return err
		}
		if keep {
			c.head, c.key, c.ok = o, key, true
			return nil
		}
	}
}
