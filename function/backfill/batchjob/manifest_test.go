package batchjob

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"testing/quick"

	"github.com/serverless-thumbnails/thumbnails/function/backfill"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/function/internal/cloudtest"
)

// TestBuildManifest lists a bucket holding every kind of key and checks the manifest
// holds exactly the originals whose thumbnail is missing or stale, keys encoded.
func TestBuildManifest(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	cloud.Bucket(t, "photos")
	spec := contract.DefaultThumbnail().Spec()
	meta := func(etag, spec string) map[string]string {
		return map[string]string{contract.MetaSourceETag: strings.Trim(etag, `"`), contract.MetaSpec: spec}
	}
	cloud.Put(t, "photos", "missing one.jpg", []byte{1}, nil)
	cloud.Put(t, "photos", "a+b,c%.jpg", []byte{2}, nil)
	done := cloud.Put(t, "photos", "done.jpg", []byte{3}, nil)
	cloud.Put(t, "photos", "resized/done.jpg", []byte{30}, meta(done, spec))
	old := cloud.Put(t, "photos", "other settings.jpg", []byte{4}, nil)
	cloud.Put(t, "photos", "resized/other settings.jpg", []byte{40}, meta(old, "64x64 fit q85"))
	cloud.Put(t, "photos", "resized/orphan.jpg", []byte{50}, nil)
	cloud.Put(t, "photos", "folder/", nil, nil)
	cloud.Put(t, "photos", "empty.jpg", nil, nil)
	cloud.Put(t, "photos", contract.JobsPrefix+"manifests/old.csv", []byte("photos,x"), nil)

	var out bytes.Buffer
	m, err := BuildManifest(context.Background(), cloud.S3(), "photos", "resized/", spec, &out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Bytes != int64(out.Len()) {
		t.Errorf("Bytes = %d, wrote %d", m.Bytes, out.Len())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r, "|"))
	}
	want := []string{"photos|a%2Bb%2Cc%25.jpg", "photos|missing%20one.jpg", "photos|other%20settings.jpg"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || m.Tasks != 3 {
		t.Errorf("manifest rows (%d tasks):\n%s\nwant:\n%s", m.Tasks, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantCounts := map[string]int{backfill.ReasonMissing: 2, backfill.ReasonStale: 1, backfill.ReasonUpToDate: 1,
		backfill.ReasonFolder: 1, backfill.ReasonEmpty: 1, backfill.ReasonJobsPrefix: 1}
	for reason, n := range wantCounts {
		if m.Counts[reason] != n {
			t.Errorf("count %s = %d, want %d (all %v)", reason, m.Counts[reason], n, m.Counts)
		}
	}
	if m.Orphans != 1 {
		t.Errorf("orphans = %d, want 1", m.Orphans)
	}
}

// TestBuildManifestReportsListingErrors names the bucket that cannot be listed.
func TestBuildManifestReportsListingErrors(t *testing.T) {
	cloud := cloudtest.New(t, cloudtest.Options{})
	_, err := BuildManifest(context.Background(), cloud.S3(), "no-such-bucket", "resized/", "128x128 fill q85", io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Errorf("BuildManifest = %v, want an error naming the bucket", err)
	}
}

// TestEncodeKey checks the manifest encoding against fixed cases and round trips
// every key through DecodeKey.
func TestEncodeKey(t *testing.T) {
	for key, want := range map[string]string{
		"photos/cat.jpg":  "photos/cat.jpg",
		"red flower.jpg":  "red%20flower.jpg",
		"a+b.jpg":         "a%2Bb.jpg",
		"100%.png":        "100%25.png",
		"x,y\"z\n.png":    "x%2Cy%22z%0A.png",
		"ünï/照.png":       "%C3%BCn%C3%AF/%E7%85%A7.png",
		"tilde~_-.dot.js": "tilde~_-.dot.js",
	} {
		if got := EncodeKey(key); got != want {
			t.Errorf("EncodeKey(%q) = %q, want %q", key, got, want)
		}
	}
	roundTrip := func(key string) bool {
		got, err := DecodeKey(EncodeKey(key))
		return err == nil && got == key && !strings.ContainsAny(EncodeKey(key), ", +\"\n\r")
	}
	if err := quick.Check(roundTrip, nil); err != nil {
		t.Error(err)
	}
}
