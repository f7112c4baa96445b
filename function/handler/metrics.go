package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
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
	doc := map[string]any{contract.DimensionFunctionName: e.functionName}
	dimensions := [][]string{{contract.DimensionFunctionName}}
	var metrics []emfMetric
	put := func(name, unit string, value any) {
		metrics = append(metrics, emfMetric{Name: name, Unit: unit})
		doc[name] = value
	}
	switch o.kind {
	case outcomeMade:
		put(contract.MetricThumbnailsMade, contract.UnitCount, 1)
		put(contract.MetricDuration, contract.UnitMilliseconds, millis(elapsed))
		put(contract.MetricSourceBytes, contract.UnitBytes, o.sourceBytes)
		put(contract.MetricSourcePixels, contract.UnitCount, o.sourcePixels)
	case outcomeDeleted:
		put(contract.MetricThumbnailsDeleted, contract.UnitCount, o.deleted)
	case outcomeSkipped:
		put(contract.MetricSkipped, contract.UnitCount, 1)
	case outcomeRejected:
		put(contract.MetricRejected, contract.UnitCount, 1)
	case outcomeFailed:
		put(contract.MetricTransientFailures, contract.UnitCount, 1)
	default:
		return nil, fmt.Errorf("no metrics for outcome kind %d", o.kind)
	}
	if o.reason != "" {
		doc[contract.DimensionReason] = o.reason
		dimensions = append(dimensions, []string{contract.DimensionFunctionName, contract.DimensionReason})
	}
	doc["_aws"] = emfMetadata{
		Timestamp: at.UnixMilli(),
		CloudWatchMetrics: []emfDirective{{
			Namespace:  contract.MetricsNamespace,
			Dimensions: dimensions,
			Metrics:    metrics,
		}},
	}
	return doc, nil
}
