package handler

import "github.com/serverless-thumbnails/thumbnails/function/thumbnail"

// outputFormat decides the thumbnail's format from the source key and the
// configured format alone:
//   - configured format F: F;
//   - auto (""): the format the key's extension names when it is one the
//     pipeline writes; JPEG for a key naming HEIC, which it cannot write;
//     otherwise the source's own format ("" here), HEIC and AVIF sources
//     getting JPEG (thumbnail.Make decides).
//
// The thumbnail's key is always the output prefix and the source key
// (outputs.key), whatever the format: its Content-Type says what the bytes
// are. Deletes, the listing backfill and the batch backfill all pair a
// thumbnail with its original by that one rule; adding the format's
// extension (IMG.HEIC -> IMG.HEIC.jpg) would let two originals (IMG.HEIC and
// IMG.HEIC.jpg) share one thumbnail and would break the key order the
// backfill merges its two listings in.
func outputFormat(configured thumbnail.Format, key string) thumbnail.Format {
	named := thumbnail.FormatFromName(key)
	switch {
	case configured != "":
		return configured
	case named.Encodable():
		return named
	case named != "":
		return thumbnail.JPEG
	}
	return ""
}
