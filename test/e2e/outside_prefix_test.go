package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
)

// TestNothingOutsideThePrefixChanges lists every object (key, ETag, LastModified)
// before and after a mixed run (uploads, re-uploads of the same and of other bytes,
// deletes, a copy, broken and non-image files, a backfill) and checks that outside the
// output prefix only what the test itself wrote or deleted differs.
func TestNothingOutsideThePrefixChanges(t *testing.T) {
	e := start(t, cloudOptions{})
	e.cloud.SetTrigger(localcloud.TriggerOff)
	for i, key := range oddKeys {
		e.put(key, smallPNG(t, i), "image/png")
	}
	e.put("docs/notes.txt", []byte("not an image"), "text/plain")
	e.put("broken.jpg", readFile(t, samplePath("broken.jpg")), "image/jpeg")
	e.put("empty.png", nil, "image/png")
	e.put("folder/", nil, "")
	e.put(e.prefix+"orphan.png", smallPNG(t, 70), "image/png")
	e.cloud.SetTrigger(localcloud.TriggerOn)
	before := e.list()

	// What the test does outside the prefix: key -> the data it leaves there (nil: deleted).
	changed := map[string][]byte{}
	write := func(key string, data []byte, contentType string) {
		e.put(key, data, contentType)
		changed[key] = data
	}
	write("new/one.png", smallPNG(t, 20), "image/png")
	write("new/two three+.png", smallPNG(t, 21), "image/png")
	write(oddKeys[1], smallPNG(t, 1), "image/png")  // the same bytes again
	write(oddKeys[2], smallPNG(t, 40), "image/png") // other bytes
	write("broken again.jpg", readFile(t, samplePath("broken.jpg")), "image/jpeg")
	e.delete(oddKeys[3])
	changed[oddKeys[3]] = nil
	if _, err := e.client.CopyObject(context.Background(), &s3.CopyObjectInput{
		Bucket: aws.String(e.cloud.Bucket()), Key: aws.String("copies/plain.png"),
		CopySource: aws.String(e.cloud.Bucket() + "/" + oddKeys[0]),
	}); err != nil {
		t.Fatal(err)
	}
	changed["copies/plain.png"] = smallPNG(t, 0)
	e.wait()
	cfg := backfill.Config{
		Bucket: e.cloud.Bucket(), Function: e.cloud.FunctionName(), Region: "us-east-1", Prefix: e.prefix,
		Thumbnail: e.functionConfig().Thumbnail, Checkpoint: t.TempDir() + "/checkpoint.json",
	}.WithDefaults()
	runBackfill(context.Background(), t, e, cfg, e.lambdaClient())
	e.wait()
	after := e.list()

	for key, was := range before {
		if strings.HasPrefix(key, e.prefix) {
			continue
		}
		if _, ours := changed[key]; ours {
			continue
		}
		if now, ok := after[key]; !ok || now != was {
			t.Errorf("%q changed though the test left it alone: %+v -> %+v (present %v)", key, was, now, ok)
		}
	}
	for key, data := range changed {
		obj, ok := e.get(key)
		switch {
		case data == nil && ok:
			t.Errorf("%q is back after the test deleted it", key)
		case data != nil && (!ok || string(obj.data) != string(data)):
			t.Errorf("%q is not what the test wrote (present %v)", key, ok)
		}
	}
	for key := range after {
		_, existed := before[key]
		_, ours := changed[key]
		if !strings.HasPrefix(key, e.prefix) && !existed && !ours {
			t.Errorf("%q appeared outside the prefix", key)
		}
	}

	// Under the prefix, the function's own work: a thumbnail for every image, no other.
	var images []string
	for key := range after {
		if !strings.HasPrefix(key, e.prefix) && strings.HasSuffix(key, ".png") && after[key].size > 0 {
			images = append(images, key)
		}
	}
	e.checkUpToDate(images...)
	for key := range after {
		original, isThumbnail := strings.CutPrefix(key, e.prefix)
		if isThumbnail && !slices.Contains(images, original) {
			t.Errorf("thumbnail %q has no image original", key)
		}
	}
	if records, err := e.cloud.Failures().Records(); err != nil || len(records) != 0 {
		t.Errorf("failure records %+v, %v; want none", records, err)
	}
}
