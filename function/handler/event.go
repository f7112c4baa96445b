package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Action is what happened to an object.
type Action string

const (
	// ActionCreated: an object was written; make its thumbnail.
	ActionCreated Action = "created"
	// ActionDeleted: an object was deleted; delete its thumbnail.
	ActionDeleted Action = "deleted"
	// ActionIgnored: an S3 event this function has no work for (restore, tagging, test event).
	ActionIgnored Action = "ignored"
)

// Record is one object change, whichever event shape carried it.
type Record struct {
	Action Action `json:"action"`
	// Event names the event as S3 did: "Object Created", "ObjectRemoved:Delete", ...
	Event  string `json:"event"`
	Bucket string `json:"bucket"`
	// Key is the object key exactly as the event carried it, possibly URL-encoded.
	Key string `json:"key"`
	// Size is the object's size in bytes when HasSize is true.
	Size    int64 `json:"size"`
	HasSize bool  `json:"hasSize"`
	// ETag, VersionID and Sequencer are empty when the event does not carry them.
	ETag      string `json:"etag,omitempty"`
	VersionID string `json:"versionId,omitempty"`
	Sequencer string `json:"sequencer,omitempty"`
	// Reason is the API behind an EventBridge event ("PutObject", "DeleteObject", ...).
	Reason string `json:"reason,omitempty"`
	// DeletionType is an EventBridge deletion's "Delete Marker Created" or "Permanently Deleted".
	DeletionType string `json:"deletionType,omitempty"`
}

// ErrUnknownEvent is wrapped by Decode's error for a payload that is neither an
// EventBridge S3 event nor an S3 notification. The same bytes can never succeed.
var ErrUnknownEvent = errors.New("unknown event shape")

// envelope holds the top-level fields that tell the event shapes apart.
type envelope struct {
	Records    json.RawMessage `json:"Records"`
	Source     *string         `json:"source"`
	DetailType *string         `json:"detail-type"`
	Detail     json.RawMessage `json:"detail"`
	// Event is "s3:TestEvent" in the message S3 sends when notifications are configured.
	Event string `json:"Event"`
}

// Decode turns one Lambda input into records, dispatching on its shape:
// {"Records": [...]} is an S3 notification, {"source": "aws.s3", "detail-type": ...}
// an EventBridge event. Anything else yields an error wrapping ErrUnknownEvent,
// and so does an event with a record to act on that names no bucket or no key:
// S3 never sends one, so whatever sent it is not S3.
func Decode(payload []byte) ([]Record, error) {
	records, err := decodeShape(payload)
	if err != nil {
		return nil, err
	}
	for i, r := range records {
		if r.Action != ActionIgnored && (r.Bucket == "" || r.Key == "") {
			return nil, fmt.Errorf("%w: record %d (%q) names no bucket or no key", ErrUnknownEvent, i, r.Event)
		}
	}
	return records, nil
}

// decodeShape reads the records of one Lambda input, whatever its shape.
func decodeShape(payload []byte) ([]Record, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", ErrUnknownEvent, err)
	}
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnknownEvent, err)
	}
	switch {
	case env.Records != nil:
		return decodeNotification(payload)
	case env.Source != nil && env.DetailType != nil:
		return decodeEventBridge(payload)
	case env.Event == "s3:TestEvent":
		return []Record{{Action: ActionIgnored, Event: env.Event}}, nil
	}
	keys := slices.Sorted(maps.Keys(fields))
	if len(keys) > maxFieldsNamed {
		keys = append(keys[:maxFieldsNamed], "...")
	}
	return nil, fmt.Errorf("%w: top-level fields [%s], want \"Records\" or \"source\" and \"detail-type\"",
		ErrUnknownEvent, strings.Join(keys, " "))
}

// maxFieldsNamed bounds how many unexpected field names one error line lists.
const maxFieldsNamed = 10
