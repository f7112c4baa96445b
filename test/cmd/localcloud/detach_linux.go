//go:build linux

package main

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in its own process group and has the kernel kill it if this process
// dies first (kill -9 included), so no cloud outlives its command.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
