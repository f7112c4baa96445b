package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/invoker"
	"github.com/serverless-thumbnails/thumbnails/test/localcloud/s3server"
)

// TestRestartDeliversAcceptedEvents stops the local cloud in the middle of a run and
// starts it again on the same state folder and address. The clients keep uploading: the
// SDK retries their refused connections until the cloud is back. The events accepted
// before the stop and not yet delivered stay queued on disk, not in the failure queue,
// and the cloud started again delivers them: every upload gets its thumbnail, written once.
func TestRestartDeliversAcceptedEvents(t *testing.T) {
	const uploads, restartAfter = 120, 40
	state := t.TempDir()
	first := startOwnCloud(t, state, "127.0.0.1:0", nil)
	addr := strings.TrimPrefix(first.URL(), "http://")
	// The function's reads answer late, so that events are still queued at the stop.
	slowReads := first.InjectFault(s3server.Fault{Method: http.MethodGet, Bucket: first.Bucket(), Delay: 100 * time.Millisecond})
	defer slowReads()

	var accepted atomic.Int32
	stopNow := make(chan struct{})
	type restart struct {
		cloud *ownCloud
		kept  []invoker.PendingEvent
		err   error
	}
	restarted := make(chan restart, 1)
	go func() {
		<-stopNow
		var r restart
		if r.err = first.stop(); r.err != nil {
			restarted <- r
			return
		}
		queue := &invoker.PendingEvents{Dir: filepath.Join(state, localcloud.QueueFolder)}
		if r.kept, r.err = queue.List(); r.err != nil {
			restarted <- r
			return
		}
		cloud, err := localcloud.Start(localcloud.Config{Template: template, Bootstrap: bins.Bootstrap, RIE: bins.RIE,
			Addr: addr, StateDir: state, RetryDelay: 50 * time.Millisecond})
		r.cloud, r.err = &ownCloud{Cloud: cloud}, err
		restarted <- r
	}()

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	results := uploadParallel(ctx, uploadPlan{endpoint: first.URL(), bucket: first.Bucket(), keys: loadKeys("restart/", uploads),
		body: tinyJPEG(t), contentType: "image/jpeg", clients: loadClients, maxAttempts: 20, maxBackoff: 500 * time.Millisecond,
		pause: 80 * time.Millisecond, // about 100 uploads a second, so the restart falls mid-run
		accepted: func(upload) {
			if accepted.Add(1) == restartAfter {
				close(stopNow)
			}
		}})
	var r restart
	select {
	case r = <-restarted:
	case <-ctx.Done():
		t.Fatal("the restart did not happen")
	}
	if r.err != nil {
		t.Fatalf("restart: %v", r.err)
	}
	second := r.cloud
	t.Cleanup(func() {
		if err := second.stop(); err != nil {
			t.Errorf("stopping the local cloud: %v", err)
		}
	})
	if err := second.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}

	if len(r.kept) == 0 {
		t.Fatal("no event was queued at the stop: the restart came too late to test anything")
	}
	for _, ev := range r.kept {
		before, after := first.Invocations(ev.Key), second.Invocations(ev.Key)
		if len(before) != 0 || len(after) != 1 || after[0].Result.RequestID != ev.RequestID || after[0].Result.Failed() {
			t.Errorf("%s, queued at the stop: %d invocations before, %+v after; want none, then its request %s once",
				ev.Key, len(before), after, ev.RequestID)
		}
	}
	keys := acceptedKeys(results)
	for _, u := range results {
		if u.err != nil {
			t.Logf("%s not accepted after the SDK's retries: %v", u.key, u.err)
		}
	}
	a := accountForEveryUpload(t, viewOf(second.Cloud), keys)
	if len(a.recorded) != 0 {
		t.Errorf("%d failure records, want none: a stop must not give up on events", len(a.recorded))
	}
	prefix := first.Stack().Function.Environment[contract.EnvOutputPrefix]
	afterRestart := 0
	for _, key := range keys {
		if w := first.Writes(prefix+key) + second.Writes(prefix+key); w != 1 {
			t.Errorf("%s: thumbnail written %d times across the restart, want 1", key, w)
		}
		afterRestart += second.Writes(key)
	}
	if afterRestart == 0 {
		t.Error("every upload was accepted before the stop: the restart did not fall mid-run")
	}
	t.Logf("%d uploads, %d accepted (%d by the cloud started again); %d events queued at the stop, all delivered after it",
		uploads, len(keys), afterRestart, len(r.kept))
}
