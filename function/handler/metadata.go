package handler

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// User metadata written on every thumbnail (x-amz-meta-*), naming its source.
const (
	// MetaSourceETag is the original's ETag, unquoted, when the thumbnail was made:
	// a thumbnail whose MetaSourceETag matches the original's current ETag is up to date.
	MetaSourceETag = "source-etag"
	// MetaSourceSize is the original's size in bytes.
	MetaSourceSize = "source-size"
	// MetaSourceKey is the original's key, URL-encoded as in S3 notifications,
	// because S3 metadata values must be US-ASCII.
	MetaSourceKey = "source-key"
	// MetaSourceVersionID is the original's version id, on versioned buckets only.
	MetaSourceVersionID = "source-version-id"
	// MetaSpec names the settings the thumbnail was made with ("128x128 fill q85"),
	// so that changing them makes existing thumbnails out of date.
	MetaSpec = "thumbnail-spec"
	// MetaSourceProfile names the colour space the original was converted to
	// sRGB from ("Display P3", "Adobe RGB (1998)", a profile's description),
	// when it carried a profile that was used.
	MetaSourceProfile = "source-profile"
)

// provenance is what a thumbnail records about its original and its making.
type provenance struct {
	key       string // the original's key
	etag      string // unquoted
	size      int
	versionID string // "" when the bucket is not versioned
	spec      string // see Spec
	profile   string // the original's colour space, "" when untagged
}

// metadata renders p as the thumbnail's user metadata.
func (p provenance) metadata() map[string]string {
	m := map[string]string{
		MetaSourceETag: p.etag,
		MetaSourceSize: strconv.Itoa(p.size),
		MetaSourceKey:  url.QueryEscape(p.key),
		MetaSpec:       p.spec,
	}
	if p.versionID != "" {
		m[MetaSourceVersionID] = p.versionID
	}
	if p.profile != "" {
		m[MetaSourceProfile] = p.profile
	}
	return m
}

// Spec names the options that shape a thumbnail's pixels. The output format
// is left out: it follows the key, which never changes.
func Spec(o thumbnail.Options) string {
	return fmt.Sprintf("%dx%d %s q%d", o.Width, o.Height, o.Mode, o.Quality)
}

// UpToDate reports whether a thumbnail's user metadata says it was made from the
// original whose ETag is etag (quoted or not) with the settings spec (see Spec).
// The function and the backfill both decide "nothing to do" with it.
func UpToDate(metadata map[string]string, etag, spec string) bool {
	return sameETag(metadataValue(metadata, MetaSourceETag), etag) && metadataValue(metadata, MetaSpec) == spec
}

// metadataValue looks a metadata key up whatever its case: the SDK lowercases
// the names it reads, but an S3 look-alike may not.
func metadataValue(m map[string]string, name string) string {
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// unquoteETag strips the double quotes S3 puts around ETags in headers.
func unquoteETag(etag string) string { return strings.Trim(etag, `"`) }

// sameETag compares two ETags, quoted or not. An empty ETag matches nothing.
func sameETag(a, b string) bool {
	a, b = unquoteETag(a), unquoteETag(b)
	return a != "" && a == b
}
