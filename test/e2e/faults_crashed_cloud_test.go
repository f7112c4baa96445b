package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/toolchain"
)

// TestCrashedCloudSaysWhyAndDeliversAcceptedEvents runs the localcloud command (what make
// local runs), uploads images, and crashes the cloud while their events are still queued:
// a SIGSEGV, which Go's runtime answers as it answers a fault, with a dump of every
// goroutine and exit status 2. The command says so in one line with the reason, keeps the
// dump in the state folder, and, started again, delivers every event it had accepted.
func TestCrashedCloudSaysWhyAndDeliversAcceptedEvents(t *testing.T) {
	const uploads = 60
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
	results := uploadParallel(ctx, uploadPlan{endpoint: "http://" + addr, bucket: view.bucket, keys: loadKeys("crashed/", uploads),
		body: tinyJPEG(t), contentType: "image/jpeg", clients: loadClients})
	cloud := cloudProcess(t, command, first.cmd.Process.Pid)
	if err := syscall.Kill(cloud, syscall.SIGSEGV); err != nil {
		t.Fatal(err)
	}
	select {
	case <-first.exited:
	case <-time.After(waitLimit):
		t.Fatal("the localcloud command did not end after its cloud crashed")
	}
	keys := acceptedKeys(results)
	if len(keys) != uploads {
		t.Fatalf("%d of %d uploads accepted before the crash, want all", len(keys), uploads)
	}
	queue := &invoker.PendingEvents{Dir: filepath.Join(state, localcloud.QueueFolder)}
	kept, err := queue.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) == 0 {
		t.Fatal("no event was queued at the crash: it came too late to test anything")
	}

	if code := first.cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("the command exited with status %d after the crash, want 1", code)
	}
	var said []string
	for _, line := range first.lines() {
		if strings.HasPrefix(line, "goroutine ") || strings.HasPrefix(line, "SIGSEGV") {
			t.Errorf("the crash's dump reached the terminal: %q", line)
		}
		if strings.Contains(line, "died") {
			said = append(said, line)
		}
	}
	if len(said) != 1 {
		t.Fatalf("the command said %q about the crash, want one line", said)
	}
	wantStart := "localcloud: the local cloud died: SIGSEGV: segmentation violation; "
	if !strings.HasPrefix(said[0], wantStart) || !strings.Contains(said[0], "accepted events wait in "+queue.Dir) {
		t.Errorf("the command said %q, want %q... naming the queue %s", said[0], wantStart, queue.Dir)
	}
	_, report, found := strings.Cut(said[0], "full report: ")
	if !found {
		t.Fatalf("the line %q names no report", said[0])
	}
	dump, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(dump), "goroutine ") {
		t.Errorf("the report %s holds no goroutine dump (%v)", report, err)
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
	if len(a.thumbnailed) != uploads {
		t.Errorf("%d of %d uploads have a thumbnail (%d failure records), want all", len(a.thumbnailed), uploads, len(a.recorded))
	}
	t.Logf("%d uploads accepted; %d events queued at the crash, all delivered by the command started again; it said: %s", len(keys), len(kept), said[0])
}

// cloudProcess is the process the command started to run the cloud.
func cloudProcess(t *testing.T, command string, commandPID int) int {
	t.Helper()
	pids, err := processesRunning(command)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if parent, err := parentPID(pid); err == nil && parent == commandPID {
			return pid
		}
	}
	t.Fatalf("the command %d runs no cloud process (processes of %s: %v)", commandPID, command, pids)
	return 0
}
