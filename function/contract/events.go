package contract

// EventBridge detail types of the S3 events the function acts on: a new
// original gets a thumbnail, a deleted one loses it. The CDK app's rule
// matches exactly these; the backfill sends the same events.
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
