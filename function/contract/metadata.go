package contract

import "strings"

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
	// MetaSpec names the settings the thumbnail was made with (Thumbnail.Spec),
	// so that changing them makes existing thumbnails out of date.
	MetaSpec = "thumbnail-spec"
	// MetaSourceProfile names the colour space the original was converted to
	// sRGB from ("Display P3", "Adobe RGB (1998)", a profile's description),
	// when it carried a profile that was used.
	MetaSourceProfile = "source-profile"
)

// UpToDate reports whether a thumbnail's user metadata says it was made from the
// original whose ETag is etag (quoted or not) with the settings spec (see Thumbnail.Spec).
// The function and the backfill both decide "nothing to do" with it.
func UpToDate(metadata map[string]string, etag, spec string) bool {
	return SameETag(MetadataValue(metadata, MetaSourceETag), etag) && MetadataValue(metadata, MetaSpec) == spec
}

// MetadataValue looks a metadata key up whatever its case: the SDK lowercases
// the names it reads, but an S3 look-alike may not.
func MetadataValue(m map[string]string, name string) string {
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

// UnquoteETag strips the double quotes S3 puts around ETags in headers.
func UnquoteETag(etag string) string { return strings.Trim(etag, `"`) }

// SameETag compares two ETags, quoted or not. An empty ETag matches nothing.
func SameETag(a, b string) bool {
	a, b = UnquoteETag(a), UnquoteETag(b)
	return a != "" && a == b
}
