package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestJudge(t *testing.T) {
	now := time.Now()
	done := func(errored bool, errType, body string) *record {
		return &record{start: now, end: now.Add(time.Millisecond), errored: errored, errorType: errType, body: []byte(body)}
	}
	tests := []struct {
		name        string
		rec         *record
		initErr     *record
		status      int
		header      http.Header
		body        string
		wantType    string
		wantMsg     string
		wantRestart bool
	}{
		{"success", done(false, "", `{"ok":true}`), nil, 200, nil, `{"ok":true}`, "", "", false},
		{"success with an error-shaped result", done(false, "", `{"errorType":"x","errorMessage":"y"}`), nil, 200, nil, "", "", "", false},
		{"function error", done(true, "", `{"errorMessage":"boom","errorType":"errorString"}`), nil, 200, nil, "", "errorString", "boom", false},
		{"error type header wins", done(true, "Function.Custom", `{"errorMessage":"boom","errorType":"errorString"}`), nil, 200, nil, "", "Function.Custom", "boom", false},
		{"error without a document", done(true, "", "not json"), nil, 200, nil, "", ErrorUnknown, "", false},
		{"init error", nil, done(true, "Runtime.ConfigError", `{"errorMessage":"bad config"}`), 200, nil, "", "Runtime.ConfigError", "bad config", true},
		{"timeout", nil, nil, 200, nil, "Task timed out after 3.00 seconds", ErrorTimeout, "Task timed out after 3.00 seconds", true},
		{"crash reported by the emulator", nil, nil, 200, nil, `{"errorType":"Runtime.ExitError","errorMessage":"exit status 3"}`, "Runtime.ExitError", "exit status 3", true},
		{"function error header", nil, nil, 200, http.Header{"X-Amz-Function-Error": {"Unhandled"}}, `{}`, ErrorExit, "", true},
		{"emulator failure", nil, nil, 502, nil, "bad gateway", ErrorUnknown, "Bad Gateway bad gateway", true},
		{"nothing seen", nil, nil, 200, nil, `null`, ErrorUnknown, "did not report", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header
			if header == nil {
				header = http.Header{}
			}
			got := judge(tt.rec, tt.initErr, tt.status, header, []byte(tt.body))
			if got.errorType != tt.wantType || !strings.Contains(got.errorMessage, tt.wantMsg) || (tt.wantMsg == "") != (got.errorMessage == "") || got.restart != tt.wantRestart {
				t.Errorf("judge = %+v, want type %q message %q restart %v", got, tt.wantType, tt.wantMsg, tt.wantRestart)
			}
			if got.errorType != "" && len(got.payload) == 0 {
				t.Error("a function error without a payload")
			}
		})
	}
}
