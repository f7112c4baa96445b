// Package emulator runs the function's bootstrap under the Lambda Runtime Interface
// Emulator, one execution environment per Instance, and measures each invocation the way
// Lambda reports it: duration, init duration on cold starts, peak memory, function errors.
package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Config describes the function an Instance runs.
type Config struct {
	// RIE is the aws-lambda-rie binary; Bootstrap the function's executable.
	RIE, Bootstrap string
	// FunctionName, MemoryMB and Timeout are the function's configuration.
	FunctionName string
	MemoryMB     int
	Timeout      time.Duration
	// Env is the function's environment: its variables, credentials, region, endpoints.
	// Lambda's reserved variables (AWS_LAMBDA_*, LAMBDA_*) are set by the Instance.
	Env map[string]string
	// Logs receives the function's output, line by line, from several goroutines. Required.
	Logs func(line string)
	// Label names the instance in diagnostics, e.g. "1".
	Label string
}

// Result is one invocation as Lambda would report it.
type Result struct {
	RequestID string
	// Payload is the function's response, or its error document on a function error.
	Payload []byte
	// ErrorType is empty on success; otherwise the function error's type, e.g.
	// "errorString", or Sandbox.Timedout, Runtime.ExitError.
	ErrorType    string
	ErrorMessage string
	// Duration is the handler's run time; InitDuration the cold start's, 0 when warm.
	Duration     time.Duration
	InitDuration time.Duration
	// MaxMemoryMB is the environment's peak memory, 0 when it could not be read.
	MaxMemoryMB int
}

// Failed reports whether the invocation ended in a function error.
func (r Result) Failed() bool { return r.ErrorType != "" }

// Instance is one execution environment: an emulator process and the function under it,
// started on first use. It serves one invocation at a time, as the emulator does.
type Instance struct {
	cfg  Config
	mu   sync.Mutex
	proc *process
}

// New returns an Instance that starts its environment on the first Invoke.
func New(cfg Config) *Instance { return &Instance{cfg: cfg} }

// initAllowance is the extra time an invocation may take when it includes a cold start:
// Lambda's init phase limit.
const initAllowance = 10 * time.Second

// Invoke runs the function on payload. A function error is reported in the Result; an
// error return means the environment itself failed (it is then replaced on the next call).
func (i *Instance) Invoke(ctx context.Context, requestID string, payload []byte) (Result, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	cold := false
	if i.proc == nil || i.proc.exited() {
		if err := i.stopLocked(); err != nil {
			i.diagnose("stop: %v", err)
		}
		p, err := i.start()
		if err != nil {
			return Result{}, err
		}
		i.proc, cold = p, true
	}
	p := i.proc
	limit := i.cfg.Timeout + 5*time.Second
	if cold {
		limit += initAllowance
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.invokeURL, bytes.NewReader(payload))
	if err != nil {
		return Result{}, err
	}
	req.Header.Set("X-Amzn-RequestId", requestID)
	resp, err := p.client.Do(req)
	if err != nil {
		return Result{}, errors.Join(fmt.Errorf("runtime emulator %s: invoke %s: %w", i.cfg.Label, requestID, err), i.stopLocked())
	}
	body, readErr := io.ReadAll(resp.Body)
	closeErr := resp.Body.Close()
	if err := errors.Join(readErr, closeErr); err != nil {
		return Result{}, errors.Join(fmt.Errorf("runtime emulator %s: invoke %s: %w", i.cfg.Label, requestID, err), i.stopLocked())
	}
	wall := time.Since(start)
	p.logs.waitEnd(requestID, time.Second)

	rec := p.tap.take(requestID)
	out := judge(rec, p.tap.takeInitError(), resp.StatusCode, resp.Header, body)
	res := Result{RequestID: requestID, Payload: out.payload, ErrorType: out.errorType, ErrorMessage: out.errorMessage}
	if cold {
		if end := p.tap.initEnd(); end.After(start) {
			res.InitDuration = end.Sub(start)
		}
	}
	if rec != nil && !rec.start.IsZero() && rec.end.After(rec.start) {
		res.Duration = rec.end.Sub(rec.start)
	} else {
		res.Duration = wall - res.InitDuration
	}
	res.MaxMemoryMB = p.peakMemory()
	if out.restart {
		if err := i.stopLocked(); err != nil {
			i.diagnose("stop after %s: %v", res.ErrorType, err)
		}
	}
	return res, nil
}

// diagnose writes a line about the emulator itself to the log.
func (i *Instance) diagnose(format string, args ...any) {
	i.cfg.Logs(fmt.Sprintf("[runtime emulator %s] ", i.cfg.Label) + fmt.Sprintf(format, args...))
}

// Close stops the environment. The Instance can be invoked again afterwards (cold).
func (i *Instance) Close() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.stopLocked()
}

func (i *Instance) stopLocked() error {
	if i.proc == nil {
		return nil
	}
	err := i.proc.stop()
	i.proc = nil
	return err
}

// process is a running emulator with its tap, log router and function.
type process struct {
	cmd        *exec.Cmd
	tap        *tap
	logs       *logRouter
	invokeAddr string
	// runtimeAddr is where the emulator serves the Runtime API to the tap.
	runtimeAddr string
	invokeURL   string
	client      *http.Client
	done        chan struct{}
	bootstrap   int // pid of the function, once known
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// startAttempts is how many times start tries fresh ports: a port found free can be
// taken by another process before the emulator binds it, and the emulator then dies.
const startAttempts = 3

// start launches the emulator on free loopback ports, trying fresh ports when one was
// taken meanwhile.
func (i *Instance) start() (*process, error) {
	var errs []error
	for range startAttempts {
		p, err := i.startOnce()
		if err == nil {
			return p, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// startOnce launches the emulator on free loopback ports. The function's runtime client is
// pointed at the tap by starting it through env(1) with AWS_LAMBDA_RUNTIME_API replaced.
// The emulator's two ports are held until just before it starts, so that the tap's own
// port cannot be one of them.
func (i *Instance) startOnce() (*process, error) {
	envTool, err := exec.LookPath("env")
	if err != nil {
		return nil, fmt.Errorf("runtime emulator: %w", err)
	}
	held, err := holdAddrs(2)
	if err != nil {
		return nil, err
	}
	invokeAddr, runtimeAddr := held.addrs[0], held.addrs[1]
	t, err := startTap(runtimeAddr)
	if err != nil {
		return nil, errors.Join(err, held.release())
	}
	if err := held.release(); err != nil {
		return nil, errors.Join(err, t.close())
	}
	logs := newLogRouter(i.cfg.Logs, i.cfg.Label)
	cmd := exec.Command(i.cfg.RIE,
		"--log-level", "error",
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		envTool, "AWS_LAMBDA_RUNTIME_API="+t.addr(), i.cfg.Bootstrap)
	cmd.Dir = filepath.Dir(i.cfg.Bootstrap)
	cmd.Env = i.environment()
	out, errOut := logs.writer(), logs.writer()
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.WaitDelay = 2 * time.Second
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, errors.Join(fmt.Errorf("runtime emulator %s: %w", i.cfg.RIE, err), t.close())
	}
	p := &process{cmd: cmd, tap: t, logs: logs, invokeAddr: invokeAddr, runtimeAddr: runtimeAddr, invokeURL: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations",
		client: &http.Client{}, done: make(chan struct{})}
	go func() {
		// The exit status of a killed emulator says nothing new; its output was routed.
		_ = cmd.Wait()
		out.flush()
		errOut.flush()
		close(p.done)
	}()
	if err := p.waitReady(10 * time.Second); err != nil {
		return nil, errors.Join(fmt.Errorf("runtime emulator %s: %w", i.cfg.Label, err), p.stop())
	}
	return p, nil
}

// environment is the emulator's (and so the function's) environment: nothing inherited
// from the local cloud, Lambda's reserved variables, then the function's own.
func (i *Instance) environment() []string {
	dir := filepath.Dir(i.cfg.Bootstrap)
	env := map[string]string{
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"LAMBDA_TASK_ROOT":                dir,
		"LAMBDA_RUNTIME_DIR":              dir,
		"AWS_LAMBDA_FUNCTION_NAME":        i.cfg.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(i.cfg.MemoryMB),
		"AWS_LAMBDA_FUNCTION_TIMEOUT":     strconv.Itoa(int(i.cfg.Timeout / time.Second)),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + i.cfg.FunctionName,
		"AWS_LAMBDA_LOG_STREAM_NAME":      "local/" + i.cfg.Label,
	}
	for k, v := range i.cfg.Env {
		if _, reserved := env[k]; !reserved {
			env[k] = v
		}
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// waitReady waits until the emulator accepts connections on both its addresses: the
// invoke API and the Runtime API, each of which it may fail to bind.
func (p *process) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for _, addr := range []string{p.invokeAddr, p.runtimeAddr} {
		for {
			if p.exited() {
				return errors.New("exited at start")
			}
			conn, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
			if err == nil {
				if err := conn.Close(); err != nil {
					return err
				}
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("not listening on %s after %v", addr, limit)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return nil
}

// peakMemory reads the function's peak memory; 0 when unknown.
func (p *process) peakMemory() int {
	if p.bootstrap == 0 {
		pid, err := childOf(p.cmd.Process.Pid)
		if err != nil || pid == 0 {
			return 0
		}
		p.bootstrap = pid
	}
	mb, err := peakMemoryMB(p.bootstrap)
	if err != nil {
		p.bootstrap = 0
		return 0
	}
	return mb
}

// stop kills the emulator and the function and waits for them.
func (p *process) stop() error {
	var errs []error
	if p.bootstrap == 0 {
		if pid, err := childOf(p.cmd.Process.Pid); err == nil {
			p.bootstrap = pid
		}
	}
	if p.bootstrap != 0 {
		errs = append(errs, killProcess(p.bootstrap))
	}
	errs = append(errs, killProcessGroup(p.cmd.Process.Pid))
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		errs = append(errs, fmt.Errorf("runtime emulator %d did not exit", p.cmd.Process.Pid))
	}
	errs = append(errs, p.tap.close())
	return errors.Join(errs...)
}

// heldAddrs are loopback addresses kept listening until released, so that nothing in
// this process is given their ports meanwhile.
type heldAddrs struct {
	addrs     []string
	listeners []net.Listener
}

// holdAddrs opens n listeners on free loopback ports.
func holdAddrs(n int) (*heldAddrs, error) {
	h := &heldAddrs{}
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, errors.Join(fmt.Errorf("free port: %w", err), h.release())
		}
		h.listeners = append(h.listeners, ln)
		h.addrs = append(h.addrs, ln.Addr().String())
	}
	return h, nil
}

// release closes the listeners, freeing their ports for the emulator.
func (h *heldAddrs) release() error {
	var errs []error
	for _, ln := range h.listeners {
		errs = append(errs, ln.Close())
	}
	h.listeners = nil
	return errors.Join(errs...)
}
