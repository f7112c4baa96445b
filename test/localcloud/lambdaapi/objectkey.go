package lambdaapi

import (
	"encoding/json"
	"net/url"
)

// s3Payload holds the object key of the two S3 event shapes the function reads: an
// EventBridge event and an S3 notification.
type s3Payload struct {
	Detail struct {
		Object struct {
			Key string `json:"key"`
		} `json:"object"`
	} `json:"detail"`
	Records []struct {
		S3 struct {
			Object struct {
				Key string `json:"key"`
			} `json:"object"`
		} `json:"s3"`
	} `json:"Records"`
}

// ObjectKey returns the object key an invoked event names, which labels the invocation
// in REPORT lines and in the local cloud's records as the rules' events are labelled:
// the key of an EventBridge S3 event, or of an S3 notification's first record,
// form-URL-decoded when it decodes (S3 encodes keys so, and the backfill encodes those
// that decoding would change). Any other payload has no key: "".
func ObjectKey(payload []byte) string {
	var p s3Payload
	if json.Unmarshal(payload, &p) != nil {
		return ""
	}
	key := p.Detail.Object.Key
	if key == "" && len(p.Records) > 0 {
		key = p.Records[0].S3.Object.Key
	}
	if decoded, err := url.QueryUnescape(key); err == nil {
		return decoded
	}
	return key
}
