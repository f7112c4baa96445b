package handler

import (
	"net/url"
	"strconv"
	"strings"
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
)

// sourceMetadata is the metadata of a thumbnail made from the given original.
func sourceMetadata(key, etag string, size int, versionID string) map[string]string {
	m := map[string]string{
		MetaSourceETag: etag,
		MetaSourceSize: strconv.Itoa(size),
		MetaSourceKey:  url.QueryEscape(key),
	}
	if versionID != "" {
		m[MetaSourceVersionID] = versionID
	}
	return m
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
