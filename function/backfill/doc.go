// Package backfill makes a bucket consistent with its thumbnails: every
// original gets an up-to-date thumbnail and every thumbnail whose original is
// gone is removed.
//
// It does no image work itself. It lists the bucket, decides for each key what
// is missing, stale or orphaned, and hands that key to the deployed function
// by an asynchronous Lambda invoke carrying the same EventBridge event S3
// would have sent, so the function's own code path does the work and Lambda
// does the scaling. The steps, one file each:
//
//	config     what one backfill is: bucket, function, settings, rate, concurrency
//	api        the narrow S3 and Lambda interfaces it calls
//	listing    ListObjectsV2, page by page, as an iterator
//	join       the bucket's listing and the listing under the prefix, merged by original key
//	plan       what to do about each key: create, check, remove or skip
//	event      the EventBridge events handed to the function
//	invoke     the asynchronous Lambda invoke
//	handle     one key: read the thumbnail's metadata if needed, then invoke within the rate
//	frontier   which keys are handled, so a run can resume after the last of them
//	checkpoint the resume point on disk, written atomically
//	progress   done/total, rate and ETA on a terminal
//	summary    the counts and failures at the end, and the report
//	runner     the whole run: bounded concurrency, a token-bucket rate, interruption
//
// Whether a thumbnail is up to date (its metadata names the original's ETag and
// the settings) is decided by contract.UpToDate, the rule the function applies too.
package backfill
