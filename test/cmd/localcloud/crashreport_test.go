package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCrashReason(t *testing.T) {
	tests := []struct {
		name, report, want string
	}{
		{"fault reading a store's bytes on GET", "testdata/fault.txt",
			"fatal error: fault (unexpected fault address 0x7f45ec23e2ac) in gofakes3.(*GoFakeS3).getObject (gofakes3.go:502)"},
		{"fault reading a store's hash for an event", "testdata/fault-head.txt",
			"fatal error: fault (unexpected fault address 0x7f7627fa2e13) in s3server.(*Server).head (server.go:155)"},
		{"panic", "testdata/panic.txt", "panic: assignment to entry in nil map in main.record (queue.go:12)"},
		{"signal", "testdata/sigsegv.txt", "SIGSEGV: segmentation violation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.FromSlash(tt.report))
			if err != nil {
				t.Fatal(err)
			}
			if got := crashReason(strings.Split(string(data), "\n")); got != tt.want {
				t.Errorf("crashReason = %q\nwant          %q", got, tt.want)
			}
			if !crashStart.MatchString(strings.SplitN(string(data), "\n", 2)[0]) {
				t.Errorf("the report's first line is not seen as a crash's start")
			}
		})
	}
}

func TestRelayPassesLinesUntilACrash(t *testing.T) {
	in := "localcloud: a warning\n2026/12/03 12:00:00 http: a log line\nfatal error: fault\n[signal SIGSEGV]\n\ngoroutine 1 [running]:\nmain.main()\n"
	var out strings.Builder
	crash := relay(strings.NewReader(in), &out)
	if want := "localcloud: a warning\n2026/12/03 12:00:00 http: a log line\n"; out.String() != want {
		t.Errorf("passed on %q, want %q", out.String(), want)
	}
	if want := []string{"fatal error: fault", "[signal SIGSEGV]", "", "goroutine 1 [running]:", "main.main()"}; strings.Join(crash, "|") != strings.Join(want, "|") {
		t.Errorf("kept %q, want %q", crash, want)
	}
	if crash := relay(strings.NewReader("just a line\n"), &out); crash != nil {
		t.Errorf("a clean output gave the report %q", crash)
	}
}
