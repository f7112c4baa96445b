// Command rusage runs a command and writes what it cost to a file: user and
// system CPU in nanoseconds and the peak resident set in KiB, from the
// kernel's rusage of the child, then its exit code.
//
//	rusage OUT COMMAND [ARG...]
//
// benchcompare starts every measured process through it. On Linux a child
// inherits its parent's peak resident set when it calls exec, so a command
// started straight from the benchmark, which holds decoded reference images,
// would report at least the benchmark's own memory; started from this small
// process, it reports its own (or this command's few MiB, whichever is more).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: rusage OUT COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintf(os.Stderr, "rusage: %v\n", err)
		os.Exit(2)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "rusage: no rusage on this system")
		os.Exit(2)
	}
	cpu := fmt.Sprintf("%d %d %d %d\n", ru.Utime.Nano(), ru.Stime.Nano(), ru.Maxrss, cmd.ProcessState.ExitCode())
	if err := os.WriteFile(os.Args[1], []byte(cpu), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "rusage: %v\n", err)
		os.Exit(2)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
