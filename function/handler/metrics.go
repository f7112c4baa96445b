package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Metrics the function emits, one CloudWatch embedded-metric-format (EMF) line
// per record outcome. Every metric has the dimension set [FunctionName]; the
// counts that have a reason also have [FunctionName, Reason].
const (
	// MetricsNamespace is the CloudWatch namespace of every metric.
	MetricsNamespace = "Thumbnails"
	// DimensionFunctionName is the Lambda function's name, AWS_LAMBDA_FUNCTION_NAME.
	DimensionFunctionName = "FunctionName"
	// DimensionReason is a Skip*, Reject* or transient reason.
	DimensionReason = "Reason"

	// MetricThumbnailsMade counts thumbnails written (Count, 1 a line).
	MetricThumbnailsMade = "ThumbnailsMade"
	// MetricThumbnailsDeleted counts thumbnails deleted with their original (Count).
	MetricThumbnailsDeleted = "ThumbnailsDeleted"
	// MetricSkipped counts records that needed no work, by Reason (Count, 1 a line).
	MetricSkipped = "Skipped"
	// MetricRejected counts records, or whole events, dropped as a retry cannot
	// help, by Reason (Count, 1 a line). Each is also an ERROR log line.
	MetricRejected = "Rejected"
	// MetricTransientFailures counts records returned for a retry, by Reason
	// (Count, 1 a line). Lambda retries the event; the last failure goes to the
	// on-failure destination.
	MetricTransientFailures = "TransientFailures"
	// MetricDuration is the time to handle a record that made a thumbnail (Milliseconds).
	MetricDuration = "Duration"
	// MetricSourceBytes is the size of the original of a thumbnail made (Bytes).
	MetricSourceBytes = "SourceBytes"
	// MetricSourcePixels is width x height of the original of a thumbnail made (Count).
	MetricSourcePixels = "SourcePixels"
)

// CloudWatch units used by the metrics.
const (
	unitCount        = "Count"
	unitMilliseconds = "Milliseconds"
	unitBytes        = "Bytes"
)

// maxDimensionValueLen is the longest dimension value EMF accepts, in characters.
const maxDimensionValueLen = 1024

// emfWriter writes one EMF document a line to its writer: on Lambda, stdout,
// which Lambda ships to CloudWatch Logs, where the metrics are extracted at no
// cost at run time.
//
// It is written here rather than taken from a library: AWS publishes EMF
// libraries for Node.js, Python, Java and .NET but none for Go, and the Go
// ones we found read the environment themselves, add dimensions of their own
// and drop write errors. The format is one small JSON document.
type emfWriter struct {
	mu           sync.Mutex // one line per Write, whole, even from concurrent invocations
	w            io.Writer
	functionName string
}

// newEMFWriter returns an emfWriter for the function named functionName,
// which must be a valid dimension value: not blank, at most 1024 characters.
func newEMFWriter(w io.Writer, functionName string) (*emfWriter, error) {
	switch {
	case w == nil:
		return nil, errors.New("metrics need a writer")
	case strings.TrimSpace(functionName) == "":
		return nil, errors.New("metrics need the function's name (AWS_LAMBDA_FUNCTION_NAME)")
	case len([]rune(functionName)) > maxDimensionValueLen:
		return nil, fmt.Errorf("function name of %d characters: a dimension value has at most %d", len([]rune(functionName)), maxDimensionValueLen)
	}
	return &emfWriter{w: w, functionName: functionName}, nil
}

// emfMetadata is the "_aws" member of an EMF document.
type emfMetadata struct {
	// Timestamp is in milliseconds since the Unix epoch.
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

// emfDirective tells CloudWatch which root members are metrics and dimensions.
type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

// emfMetric names a root member holding a metric's value.
type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// write emits the EMF document of one outcome, stamped at, for a record
// handled in elapsed.
func (e *emfWriter) write(at time.Time, o outcome, elapsed time.Duration) error {
	doc, err := e.document(at, o, elapsed)
	if err != nil {
		return err
	}
	line, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("metrics document: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.w.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("writing metrics: %w", err)
	}
	return nil
}

// document builds the EMF document of one outcome: the "_aws" metadata and, as
// root members, the dimensions and metric values it names.
func (e *emfWriter) document(at time.Time, o outcome, elapsed time.Duration) (map[string]any, error) {
	doc := map[string]any{DimensionFunctionName: e.functionName}
	dimensions := [][]string{{DimensionFunctionName}}
	var metrics []emfMetric
	put := func(name, unit string, value any) {
		metrics = append(metrics, emfMetric{Name: name, Unit: unit})
		doc[name] = value
	}
	switch o.kind {
	case outcomeMade:
		put(MetricThumbnailsMade, unitCount, 1)
		put(MetricDuration, unitMilliseconds, millis(elapsed))
		put(MetricSourceBytes, unitBytes, o.sourceBytes)
		put(MetricSourcePixels, unitCount, o.sourcePixels)
	case outcomeDeleted:
		put(MetricThumbnailsDeleted, unitCount, o.deleted)
	case outcomeSkipped:
		put(MetricSkipped, unitCount, 1)
	case outcomeRejected:
		put(MetricRejected, unitCount, 1)
	case outcomeFailed:
		put(MetricTransientFailures, unitCount, 1)
	default:
		return nil, fmt.Errorf("no metrics for outcome kind %d", o.kind)
	}
	if o.reason != "" {
		doc[DimensionReason] = o.reason
		dimensions = append(dimensions, []string{DimensionFunctionName, DimensionReason})
	}
	doc["_aws"] = emfMetadata{
		Timestamp: at.UnixMilli(),
		CloudWatchMetrics: []emfDirective{{
			Namespace:  MetricsNamespace,
			Dimensions: dimensions,
			Metrics:    metrics,
		}},
	}
	return doc, nil
}
