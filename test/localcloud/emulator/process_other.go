//go:build !linux

package emulator

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// errNoProc: memory and child processes are read from /proc, which only Linux has. The
// runtime interface emulator runs on Linux only, so this is never reached in practice.
var errNoProc = errors.New("process information needs Linux /proc")

func setProcessGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

func killProcessGroup(pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }

func killProcess(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

func childOf(int) (int, error) { return 0, errNoProc }

func peakMemoryMB(int) (int, error) { return 0, errNoProc }
