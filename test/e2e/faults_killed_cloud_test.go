package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/cfn"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3client"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// TestKilledCloudDeliversAcceptedEvents runs the localcloud command (what make local
// runs), uploads images, and kills the command with SIGKILL while their events are still
// queued: no stop code runs. The command started again on the same state folder delivers
// every event it had accepted, as each was on disk before its upload was answered.
func TestKilledCloudDeliversAcceptedEvents(t *testing.T) {
	const uploads = 100
	state := t.TempDir()
	command := filepath.Join(t.TempDir(), "localcloud")
	if err := toolchain.Build(context.Background(), filepath.Join(root, toolchain.TestModuleDir), "./cmd/localcloud", command); err != nil {
		t.Fatal(err)
	}
	addr := freeLoopbackAddr(t)
	view := commandView(t, state, "http://"+addr)

	first := runCloudCommand(t, command, addr, state)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	results := uploadParallel(ctx, uploadPlan{endpoint: "http://" + addr, bucket: view.bucket, keys: loadKeys("killed/", uploads),
		body: tinyJPEG(t), contentType: "image/jpeg", clients: loadClients})
	first.kill(t)
	keys := acceptedKeys(results)
	if len(keys) != uploads {
		t.Fatalf("%d of %d uploads accepted before the kill, want all", len(keys), uploads)
	}
	queue := &invoker.PendingEvents{Dir: filepath.Join(state, localcloud.QueueFolder)}
	kept, err := queue.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) == 0 {
		t.Fatal("no event was queued at the kill: it came too late to test anything")
	}
	waitForNoFunctionProcess(t, filepath.Join(state, "bin", "bootstrap"))

	runCloudCommand(t, command, addr, state)
	deadline := time.Now().Add(waitLimit)
	for {
		left, err := queue.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events still queued after %v", len(left), waitLimit)
		}
		time.Sleep(50 * time.Millisecond)
	}
	a := accountForEveryUpload(t, view, keys)
	if len(a.recorded) != 0 {
		t.Errorf("%d failure records, want none", len(a.recorded))
	}
	t.Logf("%d uploads accepted; %d events queued at the kill, all delivered by the command started again", len(keys), len(kept))
}

// commandView reads what became of uploads to the command's cloud on endpoint.
func commandView(t *testing.T, state, endpoint string) bucketView {
	t.Helper()
	tmpl, err := cfn.Load(template)
	if err != nil {
		t.Fatal(err)
	}
	stack, err := cfn.Read(tmpl, cfn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The local cloud names its on-failure folder after the template's destination.
	destination := stack.Function.Async.OnFailure.LogicalID
	if destination == "" {
		t.Fatal("the template has no on-failure destination")
	}
	return bucketView{client: s3client.New(endpoint), bucket: stack.Bucket.Name, prefix: stack.Function.Environment[contract.EnvOutputPrefix],
		failures: &invoker.FailureQueue{Dir: filepath.Join(state, "failures", destination)}}
}

// freeLoopbackAddr is a loopback address whose port was free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// cloudCommand is a running localcloud command.
type cloudCommand struct {
	cmd    *exec.Cmd
	exited chan struct{}
	mu     sync.Mutex
	output []string
}

// runCloudCommand starts the command and waits until it says it is ready. It is stopped
// (SIGTERM, then SIGKILL) when the test ends unless killed before; its output is shown
// when the test fails.
func runCloudCommand(t *testing.T, command, addr, state string) *cloudCommand {
	t.Helper()
	c := &cloudCommand{exited: make(chan struct{})}
	c.cmd = exec.Command(command, "-addr", addr, "-state", state, "-template", template, "-retry-delay", "50ms")
	c.cmd.Dir = root
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = c.cmd.Stdout
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go c.read(out, ready)
	t.Cleanup(func() {
		c.stop(t)
		if t.Failed() {
			t.Logf("localcloud -addr %s output:\n%s", addr, strings.Join(c.lines(), "\n"))
		}
	})
	select {
	case <-ready:
		return c
	case <-c.exited:
		t.Fatalf("the localcloud command exited before it was ready:\n%s", strings.Join(c.lines(), "\n"))
	case <-time.After(waitLimit):
		t.Fatal("the localcloud command did not get ready")
	}
	return nil
}

// read keeps the command's output, says when it is ready, then waits for its exit.
func (c *cloudCommand) read(out io.Reader, ready chan<- struct{}) {
	s := bufio.NewScanner(out)
	signalled := false
	for s.Scan() {
		line := s.Text()
		c.mu.Lock()
		c.output = append(c.output, line)
		c.mu.Unlock()
		if !signalled && strings.HasPrefix(line, "==> local cloud ready") {
			signalled = true
			close(ready)
		}
	}
	if err := s.Err(); err != nil {
		c.mu.Lock()
		c.output = append(c.output, fmt.Sprintf("(reading the output: %v)", err))
		c.mu.Unlock()
	}
	// The exit status is read by kill and stop; Wait only reaps the process here.
	err := c.cmd.Wait()
	c.mu.Lock()
	c.output = append(c.output, fmt.Sprintf("(exited: %v)", err))
	c.mu.Unlock()
	close(c.exited)
}

func (c *cloudCommand) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.output...)
}

// kill ends the command with SIGKILL, as a crash would, and waits for it.
func (c *cloudCommand) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	<-c.exited
}

// stop asks the command to stop as Ctrl-C does and waits for it, killing it after a while.
func (c *cloudCommand) stop(t *testing.T) {
	t.Helper()
	select {
	case <-c.exited:
		return
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("stopping the localcloud command: %v", err)
	}
	select {
	case <-c.exited:
		if code := c.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("the localcloud command exited with status %d on SIGTERM, want 0", code)
		}
	case <-time.After(30 * time.Second):
		c.kill(t)
		t.Error("the localcloud command did not stop on SIGTERM within 30s")
	}
}

// waitForNoFunctionProcess waits until no process runs bootstrap: a killed local cloud
// takes its execution environments with it.
func waitForNoFunctionProcess(t *testing.T, bootstrap string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids, err := processesRunning(bootstrap)
		if err != nil {
			t.Fatal(err)
		}
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("function processes %v outlived the killed local cloud", pids)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
