package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
)

// TestPlatformNeverFiltersMetricLines checks that Lambda's own log filter stays at
// INFO or below whatever the function's level, so level-less metric lines survive.
func TestPlatformNeverFiltersMetricLines(t *testing.T) {
	tests := []struct {
		functionLevel string
		want          awslambda.ApplicationLogLevel
	}{
		{"debug", awslambda.ApplicationLogLevel_DEBUG},
		{"info", awslambda.ApplicationLogLevel_INFO},
		{"warn", awslambda.ApplicationLogLevel_INFO},
		{"error", awslambda.ApplicationLogLevel_INFO},
	}
	for _, tt := range tests {
		if got := platformLogLevel(tt.functionLevel); got != tt.want {
			t.Errorf("platformLogLevel(%q) = %q, want %q", tt.functionLevel, got, tt.want)
		}
	}
}
