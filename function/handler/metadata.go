package handler

import (
	"net/url"
	"strconv"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
)

// provenance is what a thumbnail records about its original and its making,
// under the contract.Meta* names.
type provenance struct {
	key       string // the original's key
	etag      string // unquoted
	size      int
	versionID string // "" when the bucket is not versioned
	spec      string // see contract.Thumbnail.Spec
	profile   string // the original's colour space, "" when untagged
}

// metadata renders p as the thumbnail's user metadata.
func (p provenance) metadata() map[string]string {
	m := map[string]string{
		contract.MetaSourceETag: p.etag,
		contract.MetaSourceSize: strconv.Itoa(p.size),
		contract.MetaSourceKey:  url.QueryEscape(p.key),
		contract.MetaSpec:       p.spec,
	}
	if p.versionID != "" {
		m[contract.MetaSourceVersionID] = p.versionID
	}
	if p.profile != "" {
		m[contract.MetaSourceProfile] = p.profile
	}
	return m
}
