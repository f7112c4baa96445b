package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/serverless-thumbnails/thumbnails/test/localcloud"
)

// envServe marks the process that runs the cloud; without it the command supervises a
// copy of itself that does.
const envServe = "LOCALCLOUD_SERVE"

// crashFolder is the folder of the state folder that keeps the full reports of crashes.
const crashFolder = "crashes"

// maxCrashReport bounds what is kept of a crash report (every goroutine's stack).
const maxCrashReport = 16 << 20

// supervise runs the cloud in a child process and waits for it. When the child dies (a
// Go crash, a signal such as the out-of-memory killer's), it says so in one line with the
// reason, instead of the runtime's thousands of lines, keeps the full report in the state
// folder, and says how many accepted events wait for the next start. Ctrl-C and SIGTERM
// are passed on; the child's exit status becomes the command's.
func supervise(state string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.Command(self, os.Args[1:]...)
	child.Env = append(os.Environ(), envServe+"=1")
	child.Stdout = os.Stdout
	stderr, err := child.StderrPipe()
	if err != nil {
		return err
	}
	// The child has its own process group, so that a Ctrl-C reaches it once, through
	// here, and it dies with this process.
	detach(child)
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	if err := child.Start(); err != nil {
		return err
	}
	report := make(chan []string, 1)
	go func() { report <- relay(stderr, os.Stderr) }()
	exited := make(chan error, 1)
	go func() {
		crash := <-report // the pipe ends when the child does
		exited <- child.Wait()
		report <- crash
	}()
	var stopping bool
	for {
		select {
		case sig := <-signals:
			stopping = true
			// A child already gone cannot be told; its exit is reported below.
			_ = child.Process.Signal(sig)
		case err := <-exited:
			return childExit(err, <-report, stopping, state)
		}
	}
}

// exitError is an exit with a status and nothing more to say: what happened was said.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// childExit turns the child's end into the command's: nothing to add for a clean exit or
// one the child explained; one line for a crash or a fatal signal.
func childExit(err error, crash []string, stopping bool, state string) error {
	var exit *exec.ExitError
	if err == nil {
		return nil
	}
	if !errors.As(err, &exit) {
		return err
	}
	ws, _ := exit.Sys().(syscall.WaitStatus)
	var why string
	switch {
	case len(crash) > 0:
		why = crashReason(crash)
	case ws.Signaled() && stopping && (ws.Signal() == syscall.SIGINT || ws.Signal() == syscall.SIGTERM || ws.Signal() == syscall.SIGHUP):
		return exitError(130) // stopped at once by a second Ctrl-C
	case ws.Signaled():
		why = "killed by " + signalName(ws.Signal())
		if ws.Signal() == syscall.SIGKILL {
			why += " (the kernel's out-of-memory killer, or kill -9)"
		}
	default:
		return exitError(exit.ExitCode()) // the child said why itself
	}
	line := "the local cloud died: " + why
	if n := queuedEvents(state); n > 0 {
		line += fmt.Sprintf("; %d accepted events wait in %s and are delivered when it starts again (make local)", n, filepath.Join(state, localcloud.QueueFolder))
	}
	if len(crash) > 0 {
		if path, err := saveCrash(state, crash); err == nil {
			line += "; full report: " + path
		} else {
			line += "; the full report could not be kept: " + err.Error()
		}
	}
	return errors.New(line)
}

// relay copies the child's standard error to out line by line until a crash report
// starts, and returns the report (nil when there was none).
func relay(r io.Reader, out io.Writer) []string {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	var crash []string
	size := 0
	for s.Scan() {
		line := s.Text()
		if crash == nil && !crashStart.MatchString(line) {
			// The terminal is gone if this fails; the child's lines have nowhere to go.
			_, _ = fmt.Fprintln(out, line)
			continue
		}
		if size += len(line) + 1; size <= maxCrashReport {
			crash = append(crash, line)
		}
	}
	// A read error ends the relay like the end of the pipe; the child's exit says the rest.
	_, _ = io.Copy(io.Discard, r)
	return crash
}

// queuedEvents counts the events waiting in the state folder's queue.
func queuedEvents(state string) int {
	files, err := filepath.Glob(filepath.Join(state, localcloud.QueueFolder, "*.json"))
	if err != nil {
		return 0
	}
	return len(files)
}

// saveCrash writes the crash report to a new file of the state folder and returns its path.
func saveCrash(state string, report []string) (string, error) {
	dir := filepath.Join(state, crashFolder)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "localcloud-"+time.Now().UTC().Format("20060102T150405.000Z")+".log")
	if err := os.WriteFile(path, []byte(strings.Join(report, "\n")+"\n"), 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// signalName is a signal's conventional name, e.g. SIGKILL.
func signalName(sig syscall.Signal) string {
	for name, s := range map[string]syscall.Signal{"SIGKILL": syscall.SIGKILL, "SIGSEGV": syscall.SIGSEGV, "SIGBUS": syscall.SIGBUS,
		"SIGABRT": syscall.SIGABRT, "SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT, "SIGHUP": syscall.SIGHUP, "SIGQUIT": syscall.SIGQUIT} {
		if s == sig {
			return name
		}
	}
	return sig.String()
}
