package backfill

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

const testPrefix = "resized/"

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func obj(key string, size int64, at time.Time) *Object {
	return &Object{Key: key, ETag: `"` + fmt.Sprintf("%032x", len(key)) + `"`, Size: size, LastModified: at}
}

func TestDecide(t *testing.T) {
	long := strings.Repeat("k", handler.MaxKeyBytes-len(testPrefix)+1)
	fits := strings.Repeat("k", handler.MaxKeyBytes-len(testPrefix))
	tests := []struct {
		name   string
		pair   Pair
		step   Step
		reason string
	}{
		{"original without thumbnail", Pair{Key: "a.jpg", Original: obj("a.jpg", 10, t0)}, StepCreate, ReasonMissing},
		{"space", Pair{Key: "red flower.jpg", Original: obj("red flower.jpg", 10, t0)}, StepCreate, ReasonMissing},
		{"plus", Pair{Key: "a+b.jpg", Original: obj("a+b.jpg", 10, t0)}, StepCreate, ReasonMissing},
		{"percent", Pair{Key: "100%.jpg", Original: obj("100%.jpg", 10, t0)}, StepCreate, ReasonMissing},
		{"unicode", Pair{Key: "фото/写真 ü.jpg", Original: obj("фото/写真 ü.jpg", 10, t0)}, StepCreate, ReasonMissing},
		{"nested", Pair{Key: "a/b/c/d.png", Original: obj("a/b/c/d.png", 10, t0)}, StepCreate, ReasonMissing},
		{"looks like the prefix, no slash", Pair{Key: "resized", Original: obj("resized", 10, t0)}, StepCreate, ReasonMissing},
		{"looks like the prefix, longer", Pair{Key: "resized-old/a.jpg", Original: obj("resized-old/a.jpg", 10, t0)}, StepCreate, ReasonMissing},
		{"both listed, same time", Pair{Key: "a.jpg", Original: obj("a.jpg", 10, t0), Thumbnail: obj("resized/a.jpg", 5, t0)}, StepCheck, ReasonExists},
		{"thumbnail newer", Pair{Key: "a.jpg", Original: obj("a.jpg", 10, t0), Thumbnail: obj("resized/a.jpg", 5, t0.Add(time.Second))}, StepCheck, ReasonExists},
		{"original newer", Pair{Key: "a.jpg", Original: obj("a.jpg", 10, t0.Add(time.Second)), Thumbnail: obj("resized/a.jpg", 5, t0)}, StepCreate, ReasonOriginalNewer},
		{"orphan", Pair{Key: "gone.jpg", Thumbnail: obj("resized/gone.jpg", 5, t0)}, StepRemove, ReasonOrphan},
		{"orphan with odd name", Pair{Key: "a+b %41 ü.jpg", Thumbnail: obj("resized/a+b %41 ü.jpg", 5, t0)}, StepRemove, ReasonOrphan},
		{"folder marker", Pair{Key: "photos/", Original: obj("photos/", 0, t0)}, StepSkip, ReasonFolder},
		{"folder marker with bytes", Pair{Key: "photos/", Original: obj("photos/", 3, t0)}, StepSkip, ReasonFolder},
		{"thumbnail folder marker without original", Pair{Key: "photos/", Thumbnail: obj("resized/photos/", 0, t0)}, StepSkip, ReasonFolder},
		{"the prefix itself", Pair{Key: "", Thumbnail: obj("resized/", 0, t0)}, StepSkip, ReasonFolder},
		{"zero-size original", Pair{Key: "empty.jpg", Original: obj("empty.jpg", 0, t0)}, StepSkip, ReasonEmpty},
		{"zero-size original with thumbnail", Pair{Key: "empty.jpg", Original: obj("empty.jpg", 0, t0), Thumbnail: obj("resized/empty.jpg", 5, t0)}, StepSkip, ReasonEmpty},
		{"thumbnail of a thumbnail", Pair{Key: "resized/a.jpg", Thumbnail: obj("resized/resized/a.jpg", 5, t0)}, StepSkip, ReasonUnderPrefix},
		{"batch job report", Pair{Key: contract.JobsPrefix + "job-1/manifest.json", Original: obj(contract.JobsPrefix+"job-1/manifest.json", 5, t0)}, StepSkip, ReasonJobsPrefix},
		{"key too long for its thumbnail", Pair{Key: long, Original: obj(long, 10, t0)}, StepSkip, ReasonKeyTooLong},
		{"longest key that fits", Pair{Key: fits, Original: obj(fits, 10, t0)}, StepCreate, ReasonMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Decide(tt.pair, testPrefix)
			if got.Step != tt.step || got.Reason != tt.reason {
				t.Errorf("Decide(%q) = %s (%s), want %s (%s)", tt.pair.Key, got.Step, got.Reason, tt.step, tt.reason)
			}
			if got.Key != tt.pair.Key || got.Original != tt.pair.Original || got.Thumbnail != tt.pair.Thumbnail {
				t.Errorf("Decide(%q) changed the pair: %+v", tt.pair.Key, got.Pair)
			}
		})
	}
}

// bucketFixture is a synthetic bucket: both listings as S3 returns them, and
// the decision expected for every original key.
type bucketFixture struct {
	all, thumbnails []Object
	want            map[string]string // key -> "step/reason"
}

// add puts an original (nil for none) and its thumbnail (nil for none) in the
// bucket and records the expected decision.
func (f *bucketFixture) add(key string, original, thumbnail *Object, step Step, reason string) {
	if original != nil {
		f.all = append(f.all, *original)
	}
	if thumbnail != nil {
		f.all = append(f.all, *thumbnail)
		f.thumbnails = append(f.thumbnails, *thumbnail)
	}
	f.want[key] = string(step) + "/" + reason
}

// sorted returns the listings in S3's order.
func (f *bucketFixture) sorted() (all, thumbnails []Object) {
	byKey := func(a, b Object) int { return strings.Compare(a.Key, b.Key) }
	return slices.SortedFunc(slices.Values(f.all), byKey), slices.SortedFunc(slices.Values(f.thumbnails), byKey)
}

// newBucketFixture builds n originals in rotating states plus every odd name.
func newBucketFixture(n int) *bucketFixture {
	f := &bucketFixture{want: map[string]string{}}
	for i := range n {
		key := fmt.Sprintf("photos/%04d/img-%d.jpg", i/100, i)
		orig := obj(key, 100, t0)
		switch i % 5 {
		case 0:
			f.add(key, orig, nil, StepCreate, ReasonMissing)
		case 1, 2:
			f.add(key, orig, obj(testPrefix+key, 10, t0), StepCheck, ReasonExists)
		case 3:
			f.add(key, obj(key, 100, t0.Add(time.Minute)), obj(testPrefix+key, 10, t0), StepCreate, ReasonOriginalNewer)
		case 4:
			gone := fmt.Sprintf("gone/%d.jpg", i)
			f.add(gone, nil, obj(testPrefix+gone, 10, t0), StepRemove, ReasonOrphan)
		}
	}
	for _, key := range []string{"red flower.jpg", "a+b.jpg", "100%.jpg", "%41.jpg", "фото/写真 ü.jpg", "a/b/c/d/e.png",
		"resized", "resized-old/a.jpg", "resizedX.jpg", "resize/a.jpg", "Resized/a.jpg"} {
		f.add(key, obj(key, 100, t0), nil, StepCreate, ReasonMissing)
		f.add(key+".old", nil, obj(testPrefix+key+".old", 10, t0), StepRemove, ReasonOrphan)
	}
	f.add("photos/", obj("photos/", 0, t0), nil, StepSkip, ReasonFolder)
	f.add("empty.jpg", obj("empty.jpg", 0, t0), nil, StepSkip, ReasonEmpty)
	f.add("resized/x.jpg", nil, obj("resized/resized/x.jpg", 10, t0), StepSkip, ReasonUnderPrefix)
	f.add("", nil, obj(testPrefix, 0, t0), StepSkip, ReasonFolder)
	// An object under the prefix in the bucket's listing is a thumbnail, never an original.
	f.add("stray/", nil, obj(testPrefix+"stray/", 0, t0), StepSkip, ReasonFolder)
	return f
}

func TestPlanSyntheticBuckets(t *testing.T) {
	for _, n := range []int{0, 1, 7, 5000} {
		t.Run(fmt.Sprintf("%d keys", n), func(t *testing.T) {
			f := newBucketFixture(n)
			all, thumbs := f.sorted()
			got := map[string]string{}
			last := ""
			for it, err := range Plan(Join(listing(all...), listing(thumbs...), testPrefix), testPrefix) {
				if err != nil {
					t.Fatal(err)
				}
				if _, dup := got[it.Key]; dup {
					t.Errorf("key %q planned twice", it.Key)
				}
				if len(got) > 0 && it.Key <= last {
					t.Errorf("key %q planned after %q: not in key order", it.Key, last)
				}
				last = it.Key
				got[it.Key] = string(it.Step) + "/" + it.Reason
			}
			for _, k := range slices.Sorted(maps.Keys(f.want)) {
				if got[k] != f.want[k] {
					t.Errorf("key %q: planned %q, want %q", k, got[k], f.want[k])
				}
			}
			if len(got) != len(f.want) {
				t.Errorf("planned %d keys, want %d", len(got), len(f.want))
			}
		})
	}
}

func TestPlanStopsOnListingError(t *testing.T) {
	broken := func(yield func(Object, error) bool) {
		if yield(Object{Key: "a.jpg", Size: 1}, nil) {
			yield(Object{}, fmt.Errorf("list s3://b: AccessDenied"))
		}
	}
	var items int
	var gotErr error
	for it, err := range Plan(Join(broken, listing(), testPrefix), testPrefix) {
		if err != nil {
			gotErr = err
			break
		}
		items++
		if it.Key != "a.jpg" {
			t.Errorf("planned %q before the error, want a.jpg", it.Key)
		}
	}
	if items != 1 || gotErr == nil || !strings.Contains(gotErr.Error(), "AccessDenied") {
		t.Errorf("planned %d items then error %v, want 1 item then the listing's error", items, gotErr)
	}
}
