package invoker

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
)

// ReportLine is Lambda's REPORT line for one invocation, with the object key added:
//
//	REPORT RequestId: …	Key: …	Duration: 12.34 ms	Billed Duration: 17 ms	Memory Size: 512 MB	Max Memory Used: 23 MB	Init Duration: 4.56 ms
//
// Fields are tab-separated as in Lambda. Billed Duration includes the init phase, as for
// functions on an OS-only runtime; Init Duration appears on cold starts only; a function
// error adds Status and Error Type.
func ReportLine(r emulator.Result, key string, memoryMB int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "REPORT RequestId: %s\tKey: %s\tDuration: %s ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %s MB",
		r.RequestID, printable(key), ms(r.Duration), billed(r.Duration+r.InitDuration), memoryMB, maxMemory(r.MaxMemoryMB))
	if r.InitDuration > 0 {
		fmt.Fprintf(&b, "\tInit Duration: %s ms", ms(r.InitDuration))
	}
	if r.Failed() {
		fmt.Fprintf(&b, "\tStatus: error\tError Type: %s", r.ErrorType)
	}
	return b.String()
}

// ms renders a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// billed rounds up to the next millisecond, at least 1.
func billed(d time.Duration) int64 {
	return max(1, int64(math.Ceil(float64(d)/float64(time.Millisecond))))
}

func maxMemory(mb int) string {
	if mb <= 0 {
		return "unknown"
	}
	return strconv.Itoa(mb)
}

// printable quotes a key that holds control characters, which would break the line.
func printable(key string) string {
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return strconv.Quote(key)
		}
	}
	return key
}
