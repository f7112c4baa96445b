package handler

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
)

// EventBridge detail types of the S3 events this function acts on.
const (
	DetailTypeObjectCreated = "Object Created"
	DetailTypeObjectDeleted = "Object Deleted"
)

// EventBridgeSource is the "source" of every event S3 sends to EventBridge.
const EventBridgeSource = "aws.s3"

// EventBridgeDetail is the "detail" of an S3 event delivered by EventBridge.
// aws-lambda-go has no type for it. Object Deleted events carry no size.
type EventBridgeDetail struct {
	Version         string            `json:"version"`
	Bucket          EventBridgeBucket `json:"bucket"`
	Object          EventBridgeObject `json:"object"`
	RequestID       string            `json:"request-id,omitempty"`
	Requester       string            `json:"requester,omitempty"`
	SourceIPAddress string            `json:"source-ip-address,omitempty"`
	// Reason is the API call behind the event: "PutObject", "CompleteMultipartUpload",
	// "DeleteObject", "Lifecycle Expiration", ...
	Reason string `json:"reason,omitempty"`
	// DeletionType is "Delete Marker Created" or "Permanently Deleted" (Object Deleted only).
	DeletionType string `json:"deletion-type,omitempty"`
}

// EventBridgeBucket names the bucket of an EventBridge S3 event.
type EventBridgeBucket struct {
	Name string `json:"name"`
}

// EventBridgeObject describes the object of an EventBridge S3 event.
type EventBridgeObject struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"etag,omitempty"`
	VersionID string `json:"version-id,omitempty"`
	Sequencer string `json:"sequencer,omitempty"`
}

// decodeEventBridge reads an EventBridge event from S3 into one record.
// An S3 event of another detail type (restore, tagging, ...) is ignored, not an error.
func decodeEventBridge(payload []byte) ([]Record, error) {
	var e events.EventBridgeEvent
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, fmt.Errorf("%w: EventBridge event: %v", ErrUnknownEvent, err)
	}
	if e.Source != EventBridgeSource {
		return nil, fmt.Errorf("%w: EventBridge event from source %q, want %q", ErrUnknownEvent, e.Source, EventBridgeSource)
	}
	var d EventBridgeDetail
	if len(e.Detail) == 0 {
		return nil, fmt.Errorf("%w: EventBridge %q event has no detail", ErrUnknownEvent, e.DetailType)
	}
	if err := json.Unmarshal(e.Detail, &d); err != nil {
		return nil, fmt.Errorf("%w: EventBridge %q detail: %v", ErrUnknownEvent, e.DetailType, err)
	}
	r := Record{
		Event:        e.DetailType,
		Bucket:       d.Bucket.Name,
		Key:          d.Object.Key,
		ETag:         d.Object.ETag,
		VersionID:    d.Object.VersionID,
		Sequencer:    d.Object.Sequencer,
		Reason:       d.Reason,
		DeletionType: d.DeletionType,
	}
	if d.Object.Size != nil {
		r.Size, r.HasSize = *d.Object.Size, true
	}
	switch e.DetailType {
	case DetailTypeObjectCreated:
		r.Action = ActionCreated
	case DetailTypeObjectDeleted:
		r.Action = ActionDeleted
	default:
		r.Action = ActionIgnored
	}
	return []Record{r}, nil
}
