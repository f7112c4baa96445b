package s3server

import "time"

// Change is one object written or deleted through the S3 API, with what S3 puts in the
// event it sends to EventBridge.
type Change struct {
	// Created is true for a write, false for a delete.
	Created bool
	// Reason is the S3 API call: PutObject, PostObject, CopyObject,
	// CompleteMultipartUpload or DeleteObject.
	Reason string
	Bucket string
	// Key is the object key as stored (not URL-encoded).
	Key string
	// Size and ETag (hex MD5, unquoted) of the object written; zero for deletes.
	Size int64
	ETag string
	// VersionID is, in a versioned bucket, the version written, the delete marker a
	// delete left, or the version a delete removed; empty in an unversioned bucket and
	// for the delete markers of DeleteObjects, whose IDs gofakes3 does not tell.
	VersionID string
	// DeletionType is "Permanently Deleted" or "Delete Marker Created" for deletes.
	DeletionType string
	// RequestID is the S3 request ID of the call.
	RequestID string
	// SourceIP is the caller's address.
	SourceIP string
	// Time is when the call completed.
	Time time.Time
}

// Reasons S3 gives in events, by API call.
const (
	ReasonPut            = "PutObject"
	ReasonPost           = "PostObject"
	ReasonCopy           = "CopyObject"
	ReasonCompleteUpload = "CompleteMultipartUpload"
	ReasonDelete         = "DeleteObject"
)

// Deletion types of "Object Deleted" events.
const (
	DeletionPermanent     = "Permanently Deleted"
	DeletionMarkerCreated = "Delete Marker Created"
)
