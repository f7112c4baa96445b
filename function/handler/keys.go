package handler

import "net/url"

// candidateKeys returns the keys an event's key may stand for, most likely first.
//
// S3 notifications form-URL-encode keys ("red flower.jpg" arrives as
// "red+flower.jpg"), so the decoded key comes first. Whether EventBridge events
// encode keys is not settled, so when decoding changes the key the raw key
// follows, to be tried once if the decoded one is not found. A key that does not
// decode (a bare '%') can only be raw.
func candidateKeys(raw string) []string {
	decoded, err := url.QueryUnescape(raw)
	if err != nil || decoded == raw {
		return []string{raw}
	}
	return []string{decoded, raw}
}
