package backfill

import (
	"fmt"
	"strings"

	"github.com/serverless-thumbnails/thumbnails/function/handler"
	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// Spec names the settings a thumbnail is made with, as the function writes
// them in its handler.MetaSpec metadata ("128x128 fill q85").
//
// The handler keeps its own copy unexported; TestSpecMatchesHandler runs the
// real handler and fails if the two ever differ.
func Spec(o thumbnail.Options) string {
	return fmt.Sprintf("%dx%d %s q%d", o.Width, o.Height, o.Mode, o.Quality)
}

// UpToDate reports whether a thumbnail's user metadata says it was made from
// the original whose ETag is etag (quoted or not), with the settings spec.
func UpToDate(metadata map[string]string, etag, spec string) bool {
	made := unquote(metadataValue(metadata, handler.MetaSourceETag))
	return made != "" && made == unquote(etag) && metadataValue(metadata, handler.MetaSpec) == spec
}

// metadataValue looks a metadata name up whatever its case: the SDK lowercases
// the names it reads, an S3 look-alike may not.
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

// unquote strips the double quotes S3 puts around ETags.
func unquote(etag string) string { return strings.Trim(etag, `"`) }
