package handler

import "net/url"

// candidateKeys returns the keys an event's key may stand for, most likely first.
//
// S3 notifications form-URL-encode keys ("red flower.jpg" arrives as
// "red+flower.jpg"), so the decoded key comes first. EventBridge events most
// likely carry keys raw, which AWS does not document, so when decoding changes
// the key the raw key follows. When both exist, the event's ETag and size tell
// which one was uploaded (Handler.eventObjects); otherwise the raw key is tried
// if the decoded one is not found. A key that does not decode (a bare '%') can
// only be raw.
func candidateKeys(raw string) []string {
	decoded, err := url.QueryUnescape(raw)
	if err != nil || decoded == raw {
		return []string{raw}
	}
	return []string{decoded, raw}
}
