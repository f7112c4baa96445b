package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
)

// ownCloud is a local cloud a test starts where it wants (a given address and state
// folder, to start it again there) and may stop before the test ends.
type ownCloud struct {
	*localcloud.Cloud
	once   sync.Once
	closed error
}

// startOwnCloud starts a local cloud on addr (port 0 picks one) keeping its state in
// stateDir, passing every output line to onLog. It is stopped when the test ends, unless
// stopped before.
func startOwnCloud(tb testing.TB, stateDir, addr string, onLog func(string)) *ownCloud {
	tb.Helper()
	cloud, err := localcloud.Start(localcloud.Config{
		Template: template, Bootstrap: bins.Bootstrap, RIE: bins.RIE, Addr: addr, StateDir: stateDir,
		RetryDelay: 50 * time.Millisecond, OnLog: onLog,
	})
	if err != nil {
		tb.Fatal(err)
	}
	c := &ownCloud{Cloud: cloud}
	tb.Cleanup(func() {
		if err := c.stop(); err != nil {
			tb.Errorf("stopping the local cloud: %v", err)
		}
	})
	return c
}

// stop closes the cloud once, letting invocations in progress finish.
func (c *ownCloud) stop() error {
	c.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c.closed = c.Close(ctx)
	})
	return c.closed
}
