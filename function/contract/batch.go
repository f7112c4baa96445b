package contract

// Where S3 Batch Operations backfill jobs keep their files in the images
// bucket. Keys under JobsPrefix are no originals: the function skips them
// (SkipJobsPrefix) and the backfill planner leaves them out, so a manifest or a
// completion report written there makes neither a thumbnail nor an error log
// line. The CDK app's Batch Operations role may read only the manifests and
// write only the reports.
const (
	// JobsPrefix holds every file of the batch backfill's jobs.
	JobsPrefix = "thumbnail-jobs/"
	// JobManifestsPrefix holds the CSV manifests the batch backfill uploads.
	JobManifestsPrefix = JobsPrefix + "manifests/"
	// JobReportsPrefix holds the completion reports the jobs write, each under
	// "job-<id>/": manifest.json and results/*.csv.
	JobReportsPrefix = JobsPrefix + "reports/"
)

// SkipJobsPrefix is the reason the function skips a key under JobsPrefix (a
// job's manifest or report), logged and counted like its other skip reasons.
const SkipJobsPrefix = "jobs-prefix"

// Invocation schema versions of the S3 Batch Operations events the function
// answers. The batch backfill creates its jobs with BatchSchemaV2.
const (
	BatchSchemaV1 = "1.0"
	BatchSchemaV2 = "2.0"
)

// Result codes of one S3 Batch Operations task, as the function answers them
// and the completion report lists them.
const (
	// BatchSucceeded: the thumbnail was written, was already up to date, or the key is not an original.
	BatchSucceeded = "Succeeded"
	// BatchTemporaryFailure: worth a retry (throttling, 5xx, network, timeout); Batch Operations redrives it.
	BatchTemporaryFailure = "TemporaryFailure"
	// BatchPermanentFailure: no retry can help (unsupported, corrupt, too large, empty, original missing).
	BatchPermanentFailure = "PermanentFailure"
)
