package contract

// Metrics the function emits, one CloudWatch embedded-metric-format (EMF) line
// per record outcome. Every metric has the dimension set [FunctionName]; the
// counts that have a reason also have [FunctionName, Reason]. The dashboard
// and alarms of the CDK app read the same names.
const (
	// MetricsNamespace is the CloudWatch namespace of every metric.
	MetricsNamespace = "Thumbnails"
	// DimensionFunctionName is the Lambda function's name, AWS_LAMBDA_FUNCTION_NAME.
	DimensionFunctionName = "FunctionName"
	// DimensionReason is a Skip*, Reject* or transient reason.
	DimensionReason = "Reason"

	// MetricThumbnailsMade counts thumbnails written (UnitCount, 1 a line).
	MetricThumbnailsMade = "ThumbnailsMade"
	// MetricThumbnailsDeleted counts thumbnails deleted with their original (UnitCount).
	MetricThumbnailsDeleted = "ThumbnailsDeleted"
	// MetricSkipped counts records that needed no work, by Reason (UnitCount, 1 a line).
	MetricSkipped = "Skipped"
	// MetricRejected counts records, or whole events, dropped as a retry cannot
	// help, by Reason (UnitCount, 1 a line). Each is also an ERROR log line.
	MetricRejected = "Rejected"
	// MetricTransientFailures counts records returned for a retry, by Reason
	// (UnitCount, 1 a line). Lambda retries the event; the last failure goes to the
	// on-failure destination.
	MetricTransientFailures = "TransientFailures"
	// MetricDuration is the time to handle a record that made a thumbnail (UnitMilliseconds).
	MetricDuration = "Duration"
	// MetricSourceBytes is the size of the original of a thumbnail made (UnitBytes).
	MetricSourceBytes = "SourceBytes"
	// MetricSourcePixels is width x height of the original of a thumbnail made (UnitCount).
	MetricSourcePixels = "SourcePixels"
)

// CloudWatch units of the metrics.
const (
	UnitCount        = "Count"
	UnitMilliseconds = "Milliseconds"
	UnitBytes        = "Bytes"
)
