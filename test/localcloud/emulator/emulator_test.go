package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/internal/testbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := testbin.Cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// logLines collects function log lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) add(s string) { l.mu.Lock(); l.lines = append(l.lines, s); l.mu.Unlock() }

func (l *logLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func newInstance(t *testing.T, timeout time.Duration) (*Instance, *logLines) {
	t.Helper()
	logs := &logLines{}
	rieBin, standinBin := testbin.Standin(t)
	inst := New(Config{RIE: rieBin, Bootstrap: standinBin, FunctionName: "standin", MemoryMB: 256, Timeout: timeout,
		Env: map[string]string{"STANDIN_ENV": "from-config", "AWS_LAMBDA_FUNCTION_NAME": "not-allowed"}, Logs: logs.add, Label: "t"})
	t.Cleanup(func() {
		if err := inst.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return inst, logs
}

func invoke(t *testing.T, inst *Instance, id, payload string) Result {
	t.Helper()
	res, err := inst.Invoke(context.Background(), id, []byte(payload))
	if err != nil {
		t.Fatalf("Invoke(%s): %v", payload, err)
	}
	return res
}

func TestInvokeColdThenWarm(t *testing.T) {
	inst, _ := newInstance(t, 10*time.Second)
	first := invoke(t, inst, "req-1", `{"hello":"world"}`)
	if first.Failed() || first.InitDuration <= 0 || first.Duration <= 0 || first.MaxMemoryMB <= 0 {
		t.Fatalf("cold invocation: %+v", first)
	}
	var echo struct {
		RequestID string          `json:"requestId"`
		Event     json.RawMessage `json:"event"`
		Env       string          `json:"env"`
	}
	if err := json.Unmarshal(first.Payload, &echo); err != nil {
		t.Fatalf("payload %s: %v", first.Payload, err)
	}
	if echo.RequestID != "req-1" || string(echo.Event) != `{"hello":"world"}` || echo.Env != "from-config" {
		t.Errorf("the function saw %+v", echo)
	}
	second := invoke(t, inst, "req-2", `{}`)
	if second.Failed() || second.InitDuration != 0 {
		t.Errorf("warm invocation: %+v", second)
	}
}

func TestReservedVariablesWin(t *testing.T) {
	inst, _ := newInstance(t, 10*time.Second)
	res := invoke(t, inst, "req-env", `{"log":"x"}`)
	if res.Failed() {
		t.Fatal(res.ErrorMessage)
	}
	env := inst.environment()
	for _, kv := range env {
		if kv == "AWS_LAMBDA_FUNCTION_NAME=not-allowed" {
			t.Errorf("a function variable overrode a reserved one: %s", kv)
		}
	}
	if !contains(env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256") || !contains(env, "AWS_LAMBDA_FUNCTION_TIMEOUT=10") {
		t.Errorf("environment %v lacks memory size or timeout", env)
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name      string
		payload   string
		timeout   time.Duration
		wantType  string
		wantMsg   string
		wantReset bool // the next invocation is a cold start
	}{
		{"function error", `{"fail":"boom"}`, 10 * time.Second, "errorString", "boom", false},
		{"timeout", `{"sleepMs":2500}`, time.Second, ErrorTimeout, "timed out", true},
		{"crash", `{"exit":3}`, 10 * time.Second, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst, _ := newInstance(t, tt.timeout)
			invoke(t, inst, "warm-up", `{}`)
			res := invoke(t, inst, "req-fail", tt.payload)
			if !res.Failed() || (tt.wantType != "" && res.ErrorType != tt.wantType) || !strings.Contains(res.ErrorMessage, tt.wantMsg) {
				t.Fatalf("result %+v (payload %s), want error type %q mentioning %q", res, res.Payload, tt.wantType, tt.wantMsg)
			}
			var doc errorPayload
			if err := json.Unmarshal(res.Payload, &doc); err != nil || doc.ErrorType == "" {
				t.Errorf("error payload %s is not an error document: %v", res.Payload, err)
			}
			next := invoke(t, inst, "req-after", `{}`)
			if next.Failed() {
				t.Fatalf("invocation after the failure: %+v", next)
			}
			if cold := next.InitDuration > 0; cold != tt.wantReset {
				t.Errorf("after the failure the environment was replaced = %v, want %v", cold, tt.wantReset)
			}
		})
	}
}

func TestMaxMemoryFollowsTheFunction(t *testing.T) {
	inst, _ := newInstance(t, 10*time.Second)
	small := invoke(t, inst, "req-small", `{}`)
	big := invoke(t, inst, "req-big", `{"allocMB":48}`)
	if big.MaxMemoryMB < small.MaxMemoryMB+40 {
		t.Errorf("max memory %d MB after allocating 48 MB, %d MB before", big.MaxMemoryMB, small.MaxMemoryMB)
	}
}

func TestLogsPassThrough(t *testing.T) {
	inst, logs := newInstance(t, 10*time.Second)
	line := `{"level":"INFO","msg":"made a thumbnail"}`
	payload, err := json.Marshal(map[string]string{"log": line})
	if err != nil {
		t.Fatal(err)
	}
	invoke(t, inst, "req-log", string(payload))
	got := logs.all()
	if !contains(got, line) {
		t.Errorf("function line missing from %q", got)
	}
	for _, l := range got {
		if strings.HasPrefix(l, "START RequestId") || strings.HasPrefix(l, "END RequestId") || strings.HasPrefix(l, "REPORT RequestId") {
			t.Errorf("emulator line passed through: %q", l)
		}
	}
}

func TestCloseStopsTheProcesses(t *testing.T) {
	inst, _ := newInstance(t, 10*time.Second)
	invoke(t, inst, "req", `{}`)
	inst.mu.Lock()
	rie := inst.proc.cmd.Process.Pid
	fn := inst.proc.bootstrap
	inst.mu.Unlock()
	if fn == 0 {
		t.Fatal("the function's process was not found")
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{rie, fn} {
		if !gone(pid, 2*time.Second) {
			t.Errorf("process %d still running after Close", pid)
		}
	}
}

// gone waits up to d for pid to end: no longer in /proc, or a zombie waiting to be reaped.
func gone(pid int, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") || strings.Contains(string(stat), ") X ") {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
