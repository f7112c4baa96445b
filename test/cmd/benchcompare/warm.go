package main

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/serverless-thumbnails/thumbnails/function/thumbnail"
)

// sharpScript keeps sharp loaded in one Node process and makes a thumbnail
// per request, timing each in process.
//
//go:embed sharp_warm.js
var sharpScript []byte

// sharpWorker is a running sharp_warm.js: one source path per line in, one
// JSON result per line out.
type sharpWorker struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Scanner
	version string
}

// sharpReply is one line sharp_warm.js writes.
type sharpReply struct {
	CPUMicros  float64 `json:"cpuMicros"`
	WallMicros float64 `json:"wallMicros"`
	Bytes      int     `json:"bytes"`
	Error      string  `json:"error"`
	Sharp      struct {
		Sharp string `json:"sharp"`
		Vips  string `json:"vips"`
	} `json:"sharp"`
}

// startSharp starts sharp_warm.js with node, finding sharp in nodeModules.
func startSharp(node, nodeModules, tmp string) (*sharpWorker, error) {
	script := filepath.Join(tmp, "sharp_warm.js")
	if err := os.WriteFile(script, sharpScript, 0o644); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(nodeModules)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+abs, fmt.Sprintf("THUMB_SIDE=%d", thumbSide))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", node, err)
	}
	w := &sharpWorker{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	hello, err := w.reply()
	if err != nil {
		w.close()
		return nil, fmt.Errorf("starting sharp (npm install sharp into %s): %w", nodeModules, err)
	}
	w.version = fmt.Sprintf("sharp %s (libvips %s)", hello.Sharp.Sharp, hello.Sharp.Vips)
	return w, nil
}

func (w *sharpWorker) reply() (sharpReply, error) {
	if !w.out.Scan() {
		if err := w.out.Err(); err != nil {
			return sharpReply{}, err
		}
		return sharpReply{}, fmt.Errorf("sharp_warm.js exited")
	}
	var r sharpReply
	if err := json.Unmarshal(w.out.Bytes(), &r); err != nil {
		return sharpReply{}, fmt.Errorf("sharp_warm.js: %w", err)
	}
	if r.Error != "" {
		return sharpReply{}, &sharpError{message: r.Error}
	}
	return r, nil
}

// sharpError is an error sharp threw, as its message.
type sharpError struct{ message string }

func (e *sharpError) Error() string { return "sharp: " + e.message }

// sharpCannotRead tells whether err, from sharp in the first round, means
// it cannot read the source; a failure in a later round is a real one.
func sharpCannotRead(round int, source string, err error) (readFailure, bool) {
	var se *sharpError
	if round != 0 || !errors.As(err, &se) {
		return readFailure{}, false
	}
	return classifyReadError("sharp", "prebuilt libheif", source, se.message)
}

// thumbnail has sharp make one thumbnail of the source at path.
func (w *sharpWorker) thumbnail(path string) (usage, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return usage{}, err
	}
	if _, err := fmt.Fprintln(w.in, abs); err != nil {
		return usage{}, err
	}
	r, err := w.reply()
	if err != nil {
		return usage{}, fmt.Errorf("%s: %w", path, err)
	}
	return usage{cpu: time.Duration(r.CPUMicros * 1e3), wall: time.Duration(r.WallMicros * 1e3)}, nil
}

func (w *sharpWorker) close() {
	w.in.Close()
	w.cmd.Wait()
}

// oursWarm makes one thumbnail in this process with the product's default
// options and returns the CPU time of the whole process around it (every
// thread, so the garbage collector's share counts), as sharp's figure is
// process.cpuUsage() around toBuffer().
func oursWarm(data []byte) (usage, error) {
	before, err := processCPU()
	if err != nil {
		return usage{}, err
	}
	start := time.Now()
	if _, err := thumbnail.MakeBytes(data, thumbnail.DefaultOptions()); err != nil {
		return usage{}, err
	}
	wall := time.Since(start)
	after, err := processCPU()
	if err != nil {
		return usage{}, err
	}
	return usage{cpu: after - before, wall: wall}, nil
}

// processCPU is this process's user+sys time so far.
func processCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// measureWarm times our thumbnail.MakeBytes in this process against sharp in
// its warm Node process, per image, interleaved round by round; round 0
// warms both up and is not counted; a source sharp cannot read is left out
// of sharp's runs from then on. It fills each row's warm figures.
func measureWarm(w *sharpWorker, rows []row, rounds int) error {
	data := make([][]byte, len(rows))
	for i, r := range rows {
		var err error
		if data[i], err = os.ReadFile(r.source); err != nil {
			return err
		}
	}
	runs := make([][2]series, len(rows)) // [sharp, ours]
	for round := 0; round <= rounds; round++ {
		for i, r := range rows {
			for k := 0; k < 2; k++ {
				var u usage
				var err error
				if (k+round)%2 == 0 {
					if rows[i].sharpFail.cannot() {
						continue
					}
					u, err = w.thumbnail(r.source)
					if f, ok := sharpCannotRead(round, r.source, err); ok {
						rows[i].sharpFail = f
						fmt.Fprintf(os.Stderr, "%s: sharp %s\n", r.source, f.reason)
						continue
					}
					if err == nil && round > 0 {
						runs[i][0].add(u)
					}
				} else {
					u, err = oursWarm(data[i])
					if err == nil && round > 0 {
						runs[i][1].add(u)
					}
				}
				if err != nil {
					return fmt.Errorf("%s: %w", r.source, err)
				}
			}
		}
		fmt.Fprintf(os.Stderr, "warm round %d of %d done\n", round, rounds)
	}
	for i := range rows {
		rows[i].warmSharp, rows[i].warmOurs = runs[i][0].summary(), runs[i][1].summary()
	}
	return nil
}
