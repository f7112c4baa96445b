package invoker

import (
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
)

func TestReportLine(t *testing.T) {
	tests := []struct {
		name string
		res  emulator.Result
		key  string
		want string
	}{
		{"cold", emulator.Result{RequestID: "r1", Duration: 12340 * time.Microsecond, InitDuration: 4560 * time.Microsecond, MaxMemoryMB: 23}, "photo.jpg",
			"REPORT RequestId: r1\tKey: photo.jpg\tDuration: 12.34 ms\tBilled Duration: 17 ms\tMemory Size: 512 MB\tMax Memory Used: 23 MB\tInit Duration: 4.56 ms"},
		{"warm", emulator.Result{RequestID: "r2", Duration: 800 * time.Microsecond, MaxMemoryMB: 30}, "my photos/red flower+bee.jpg",
			"REPORT RequestId: r2\tKey: my photos/red flower+bee.jpg\tDuration: 0.80 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 30 MB"},
		{"error", emulator.Result{RequestID: "r3", Duration: 2 * time.Millisecond, MaxMemoryMB: 30, ErrorType: "errorString"}, "a.jpg",
			"REPORT RequestId: r3\tKey: a.jpg\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 30 MB\tStatus: error\tError Type: errorString"},
		{"memory unknown, key with a newline", emulator.Result{RequestID: "r4", Duration: time.Millisecond}, "a\nb.jpg",
			"REPORT RequestId: r4\tKey: \"a\\nb.jpg\"\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: unknown MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReportLine(tt.res, tt.key, 512); got != tt.want {
				t.Errorf("ReportLine =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
