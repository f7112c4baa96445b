package main

import (
	"errors"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
)

func TestSummarizeColdStarts(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name    string
		inits   []time.Duration
		want    coldStarts
		wantErr bool
	}{
		{"odd count", []time.Duration{9 * ms, 5 * ms, 30 * ms}, coldStarts{n: 3, median: 9 * ms, max: 30 * ms}, false},
		{"even count", []time.Duration{4 * ms, 8 * ms, 6 * ms, 10 * ms}, coldStarts{n: 4, median: 7 * ms, max: 10 * ms}, false},
		{"one", []time.Duration{12 * ms}, coldStarts{n: 1, median: 12 * ms, max: 12 * ms}, false},
		{"none", nil, coldStarts{}, true},
		{"a zero", []time.Duration{5 * ms, 0}, coldStarts{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := summarizeColdStarts(tt.inits)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("summarizeColdStarts = %+v, %v; want %+v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestColdStartsOK(t *testing.T) {
	tests := []struct {
		name string
		c    coldStarts
		want bool
	}{
		{"not measured", coldStarts{}, true},
		{"median at the target", coldStarts{n: 7, median: maxInitDuration, max: 2 * maxInitDuration}, true},
		{"median over the target", coldStarts{n: 7, median: maxInitDuration + time.Microsecond, max: 2 * maxInitDuration}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.ok(); got != tt.want {
				t.Errorf("ok() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInitDuration(t *testing.T) {
	cold := emulator.Result{InitDuration: 8 * time.Millisecond, Duration: 5 * time.Millisecond}
	tests := []struct {
		name    string
		invs    []invoker.Invocation
		want    time.Duration
		wantErr bool
	}{
		{"cold start", []invoker.Invocation{{Attempt: 1, Result: cold}}, 8 * time.Millisecond, false},
		{"not invoked", nil, 0, true},
		{"retried", []invoker.Invocation{{Attempt: 1, Result: cold}, {Attempt: 2, Result: cold}}, 0, true},
		{"environment failed", []invoker.Invocation{{Attempt: 1, Err: errors.New("emulator exited")}}, 0, true},
		{"function error", []invoker.Invocation{{Attempt: 1, Result: emulator.Result{InitDuration: time.Millisecond, ErrorType: "errorString"}}}, 0, true},
		{"warm", []invoker.Invocation{{Attempt: 1, Result: emulator.Result{Duration: time.Millisecond}}}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := initDuration("photo.jpg", tt.invs)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("initDuration = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
