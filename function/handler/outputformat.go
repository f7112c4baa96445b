package handler

import "github.com/serverless-thumbnails/thumbnails/function/thumbnail"

// outputFormat decides, from the source key and the configured format
// alone, the thumbnail's format and the suffix its key gets, so that the
// key, the bytes and the Content-Type agree and a deletion finds the same
// key without reading the source:
//   - configured format F: F; the key gains F's extension when its own
//     names another image format (photo.jpg -> photo.jpg.webp);
//   - auto (""): the format the key's extension names when it is one the
//     pipeline writes; for a key naming HEIC, JPEG and the key gains ".jpg";
//     otherwise the source's own format ("" here), HEIC and AVIF sources
//     getting JPEG (thumbnail.Make decides).
func outputFormat(configured thumbnail.Format, key string) (f thumbnail.Format, suffix string) {
	named := thumbnail.FormatFromName(key)
	switch {
	case configured != "":
		if named != "" && named != configured {
			return configured, configured.Extension()
		}
		return configured, ""
	case named.Encodable():
		return named, ""
	case named != "":
		return thumbnail.JPEG, thumbnail.JPEG.Extension()
	}
	return "", ""
}
