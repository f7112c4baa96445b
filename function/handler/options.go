package handler

import (
	"fmt"
	"io"
)

// Option configures a Handler built by New.
type Option func(*Handler) error

// WithMetrics makes the handler write one CloudWatch embedded-metric-format
// line per record outcome to w, with functionName as the FunctionName
// dimension (see MetricsNamespace and the Metric* names). On Lambda, w is
// os.Stdout and functionName is AWS_LAMBDA_FUNCTION_NAME. Without this
// option, no metrics are written.
func WithMetrics(w io.Writer, functionName string) Option {
	return func(h *Handler) error {
		m, err := newEMFWriter(w, functionName)
		if err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
		h.metrics = m
		return nil
	}
}
