package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/emulator"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// TestKilledFunctionIsReplacedAndItsEventRetried kills the function's process with
// SIGKILL while it waits for its image, on a stack with one execution environment. As on
// Lambda, the invocation fails, the environment is replaced (a new process, a cold
// start) and the event is retried as the asynchronous configuration says; images
// uploaded meanwhile are not lost either.
func TestKilledFunctionIsReplacedAndItsEventRetried(t *testing.T) {
	e := start(t, cloudOptions{template: templateWithConcurrency(t, 1)})
	held := make(chan struct{})
	var once sync.Once
	remove := e.cloud.InjectFault(s3server.Fault{Method: http.MethodGet, Bucket: e.cloud.Bucket(), Key: "victim.jpg",
		Delay: waitLimit, Limit: 1, OnStrike: func() { once.Do(func() { close(held) }) }})
	defer remove()

	photo := tinyJPEG(t)
	e.put("victim.jpg", photo, "image/jpeg")
	select {
	case <-held:
	case <-time.After(waitLimit):
		t.Fatal("the function never asked for its image")
	}
	victims := functionProcesses(t)
	if len(victims) != 1 {
		t.Fatalf("function processes %v, want the one environment's", victims)
	}
	if err := syscall.Kill(victims[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	bystanders := []string{"bystander-1.jpg", "bystander-2.jpg", "bystander-3.jpg"}
	for _, key := range bystanders {
		e.put(key, photo, "image/jpeg")
	}
	e.wait()

	invs := e.cloud.Invocations("victim.jpg")
	if len(invs) != 2 {
		t.Fatalf("%d invocations of victim.jpg, want the killed one and one retry: %+v", len(invs), invs)
	}
	killed, retried := invs[0], invs[1]
	if killed.Attempt != 1 || !killed.Result.Failed() || killed.Result.ErrorType != emulator.ErrorExit {
		t.Errorf("the killed invocation: attempt %d, error %q (%s), want attempt 1 failing with %s",
			killed.Attempt, killed.Result.ErrorType, killed.Result.ErrorMessage, emulator.ErrorExit)
	}
	if retried.Attempt != 2 || retried.Result.Failed() || retried.Result.RequestID != killed.Result.RequestID {
		t.Errorf("the retry: attempt %d, error %q, request %s; want attempt 2 of request %s succeeding",
			retried.Attempt, retried.Result.ErrorType, retried.Result.RequestID, killed.Result.RequestID)
	}
	// The one environment's next invocation, the retry's or a bystander's, starts cold.
	cold := 0
	for _, inv := range append(invs[1:], bystanderInvocations(e, bystanders)...) {
		if inv.Result.InitDuration > 0 {
			cold++
		}
	}
	if cold != 1 {
		t.Errorf("%d cold starts after the kill, want 1: the killed environment replaced once", cold)
	}
	if now := functionProcesses(t); len(now) != 1 || slices.Contains(now, victims[0]) {
		t.Errorf("function processes after the retry %v, want one other than the killed %d", now, victims[0])
	}
	for _, key := range append([]string{"victim.jpg"}, bystanders...) {
		e.thumbnail(key)
	}
	if records, err := e.cloud.Failures().Records(); err != nil || len(records) != 0 {
		t.Errorf("failure records %+v, %v; want none", records, err)
	}
}

// bystanderInvocations lists the invocations of keys, each of which must have exactly one.
func bystanderInvocations(e *env, keys []string) []invoker.Invocation {
	e.t.Helper()
	var out []invoker.Invocation
	for _, key := range keys {
		invs := e.cloud.Invocations(key)
		if len(invs) != 1 {
			e.t.Errorf("%s: %d invocations, want 1", key, len(invs))
		}
		out = append(out, invs...)
	}
	return out
}

// templateWithConcurrency writes the stack's template with the function's reserved
// concurrency set to n, which is the number of execution environments locally.
func templateWithConcurrency(t *testing.T, n int) string {
	t.Helper()
	data := readFile(t, template)
	tmpl, err := cfn.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	stack, err := cfn.Read(tmpl, cfn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	resources, _ := doc["Resources"].(map[string]any)
	function, _ := resources[stack.Function.LogicalID].(map[string]any)
	props, _ := function["Properties"].(map[string]any)
	if props == nil {
		t.Fatalf("the template has no properties for function %s", stack.Function.LogicalID)
	}
	props["ReservedConcurrentExecutions"] = n
	var out bytes.Buffer
	if err := json.NewEncoder(&out).Encode(doc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("concurrency-%d.template.json", n))
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// functionProcesses lists this test's function processes: the bootstrap under a runtime
// emulator that this process started.
func functionProcesses(t *testing.T) []int {
	t.Helper()
	all, err := processesRunning(bins.Bootstrap)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, pid := range all {
		emulatorPID, err := parentPID(pid)
		if err != nil {
			continue // it ended while we looked
		}
		if owner, err := parentPID(emulatorPID); err == nil && owner == os.Getpid() {
			pids = append(pids, pid)
		}
	}
	return pids
}

// processesRunning lists the processes whose executable is program.
func processesRunning(program string) ([]int, error) {
	want, err := filepath.EvalSymlinks(program)
	if err != nil {
		return nil, err
	}
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, dir := range dirs {
		exe, err := os.Readlink(filepath.Join(dir, "exe"))
		if err != nil || exe != want {
			continue // gone, not ours to read, or another program
		}
		if pid, err := strconv.Atoi(filepath.Base(dir)); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// parentPID reads a process's parent from /proc/<pid>/stat.
func parentPID(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may hold spaces:
	// state, then the parent's pid.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("unreadable stat")
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 2 {
		return 0, errors.New("unreadable stat")
	}
	return strconv.Atoi(fields[1])
}
