//go:build !linux

package main

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in its own process group. Outside Linux a child cannot ask to die
// with its parent; the runtime emulator runs on Linux only anyway.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
