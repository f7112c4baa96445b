// Package wasmcodec runs the WebAssembly builds of libheif, libavif and
// libwebp under wazero: HEIC and AVIF decoding, lossy WebP and AVIF
// encoding. Nothing is compiled until a codec is first used, each module on
// its own first use, so a process that never meets these formats never
// starts a WebAssembly runtime. Every instance's memory is capped.
package wasmcodec

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Engine selects how wazero runs the modules.
type Engine int

const (
	// Compiler translates each module to machine code on first use (amd64,
	// arm64): slower to start, several times faster to run.
	Compiler Engine = iota
	// Interpreter starts at once and runs slowly.
	Interpreter
)

// Settings apply to the runtime; Configure them before a codec is first used.
type Settings struct {
	// Engine is Compiler or Interpreter. Default: Compiler.
	Engine Engine
	// CacheDir, if set, keeps compiled modules on disk there, so a process
	// that starts again on the same disk (a Lambda environment's /tmp)
	// loads them instead of compiling. Default: none.
	CacheDir string
}

var (
	settings Settings
	rtOnce   sync.Once
	rt       wazero.Runtime
	rtErr    error
	runtimes atomic.Int32 // runtimes started, for tests of lazy start
)

// Configure sets the runtime's settings. It has no effect once a codec has
// been used in this process.
func Configure(s Settings) { settings = s }

// RuntimesStarted reports how many WebAssembly runtimes this process has
// started: 0 until an HEIC, AVIF or lossy WebP image is first handled.
func RuntimesStarted() int { return int(runtimes.Load()) }

func runtime() (wazero.Runtime, error) {
	rtOnce.Do(func() {
		ctx := context.Background()
		// No WithCloseOnContextDone: its checks in every loop made a 12 MP
		// HEIC decode take four times the CPU. A hostile file that loops is
		// bounded by the function's timeout instead.
		cfg := wazero.NewRuntimeConfigCompiler()
		if settings.Engine == Interpreter {
			cfg = wazero.NewRuntimeConfigInterpreter()
		}
		if settings.CacheDir != "" {
			cache, err := wazero.NewCompilationCacheWithDir(settings.CacheDir)
			if err == nil {
				cfg = cfg.WithCompilationCache(cache)
			}
		}
		runtimes.Add(1)
		rt = wazero.NewRuntimeWithConfig(ctx, cfg)
		_, rtErr = wasi_snapshot_preview1.Instantiate(ctx, rt)
	})
	return rt, rtErr
}

// module is one WebAssembly build, compiled on first use.
type module struct {
	name     string
	gz       *[]byte
	once     sync.Once
	compiled wazero.CompiledModule
	err      error
	took     time.Duration
}

var (
	heifDecoder = &module{name: "libheif", gz: &heifWasm}
	avifDecoder = &module{name: "libavif decoder", gz: &avifDecodeWasm}
	avifEncoder = &module{name: "libavif encoder", gz: &avifEncodeWasm}
	webpCodec   = &module{name: "libwebp", gz: &webpWasm}
)

// compile decompresses and compiles the module once per process.
func (m *module) compile() (wazero.CompiledModule, error) {
	m.once.Do(func() {
		start := time.Now()
		defer func() { m.took = time.Since(start) }()
		r, err := runtime()
		if err != nil {
			m.err = fmt.Errorf("%s: start runtime: %w", m.name, err)
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(*m.gz))
		if err != nil {
			m.err = fmt.Errorf("%s: %w", m.name, err)
			return
		}
		wasm, err := io.ReadAll(zr)
		if err != nil {
			m.err = fmt.Errorf("%s: %w", m.name, err)
			return
		}
		m.compiled, m.err = r.CompileModule(context.Background(), wasm)
		if m.err != nil {
			m.err = fmt.Errorf("%s: compile: %w", m.name, m.err)
		}
	})
	return m.compiled, m.err
}

// CompileTimes reports how long each module took to compile (or load from
// the cache) in this process; modules not used yet are absent.
func CompileTimes() map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, m := range []*module{heifDecoder, avifDecoder, avifEncoder, webpCodec} {
		if m.compiled != nil {
			out[m.name] = m.took
		}
	}
	return out
}

// PrecompileEncoders compiles the encoders a configured output needs ahead
// of their first use, for example in the background during a cold start.
func PrecompileEncoders(webp, avif bool) {
	if webp {
		_, _ = webpCodec.compile()
	}
	if avif {
		_, _ = avifEncoder.compile()
	}
}

// PrecompileDecoders compiles the HEIC and AVIF decoders ahead of their first use.
func PrecompileDecoders() {
	_, _ = heifDecoder.compile()
	_, _ = avifDecoder.compile()
}

// largestMemory is the largest linear memory any instance has grown to.
var largestMemory atomic.Int64

// LargestMemory reports the most memory one codec instance has held in this
// process, in bytes: WebAssembly memory is mapped outside the Go heap, so
// heap statistics do not show it.
func LargestMemory() int64 { return largestMemory.Load() }

// ResetLargestMemory starts LargestMemory again from zero.
func ResetLargestMemory() { largestMemory.Store(0) }

// ErrMemoryLimit means the codec needed more memory than its limit.
var ErrMemoryLimit = errors.New("needs more memory than the decode budget")

// instance is one running module with its capped memory.
type instance struct {
	ctx context.Context
	mod api.Module
	mem *linearMemory
}

// instantiate starts a fresh instance of m whose memory may grow to limit bytes.
func (m *module) instantiate(ctx context.Context, limit int64) (*instance, error) {
	cm, err := m.compile()
	if err != nil {
		return nil, err
	}
	mem := &linearMemory{limit: uint64(max(limit, 0))}
	for _, d := range cm.ExportedMemories() {
		if uint64(d.Min())*65536 > mem.limit {
			return nil, ErrMemoryLimit // wazero cannot start an instance without its initial memory
		}
	}
	ctx = experimental.WithMemoryAllocator(ctx, mem)
	cfg := wazero.NewModuleConfig().WithName("").WithStdout(io.Discard).WithStderr(io.Discard)
	mod, err := rt.InstantiateModule(ctx, cm, cfg)
	if err != nil {
		mem.Free()
		if mem.refused {
			return nil, ErrMemoryLimit
		}
		return nil, fmt.Errorf("%s: instantiate: %w", m.name, err)
	}
	return &instance{ctx: ctx, mod: mod, mem: mem}, nil
}

// close ends the instance and unmaps its memory.
func (in *instance) close() {
	for {
		cur := largestMemory.Load()
		if int64(in.mem.peak) <= cur || largestMemory.CompareAndSwap(cur, int64(in.mem.peak)) {
			break
		}
	}
	_ = in.mod.Close(in.ctx)
}

// call runs an exported function; a refused memory grow is reported as
// ErrMemoryLimit whatever the module made of it (a NULL, a trap).
func (in *instance) call(name string, args ...uint64) (uint64, error) {
	f := in.mod.ExportedFunction(name)
	if f == nil {
		return 0, fmt.Errorf("no export %q", name)
	}
	res, err := f.Call(in.ctx, args...)
	if in.mem.refused {
		return 0, ErrMemoryLimit
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if len(res) == 0 {
		return 0, nil
	}
	return res[0], nil
}

// malloc allocates n bytes inside the instance.
func (in *instance) malloc(n int) (uint32, error) {
	p, err := in.call("malloc", uint64(n))
	if err != nil {
		return 0, err
	}
	if p == 0 {
		if in.mem.refused {
			return 0, ErrMemoryLimit
		}
		return 0, fmt.Errorf("malloc(%d) failed", n)
	}
	return uint32(p), nil
}

// write copies b into a fresh allocation and returns its address.
func (in *instance) write(b []byte) (uint32, error) {
	p, err := in.malloc(len(b))
	if err != nil {
		return 0, err
	}
	if !in.mod.Memory().Write(p, b) {
		return 0, fmt.Errorf("write %d bytes at %d: outside memory", len(b), p)
	}
	return p, nil
}

func (in *instance) u32(addr uint32) uint32 {
	v, _ := in.mod.Memory().ReadUint32Le(addr)
	return v
}

// view returns n bytes at addr, aliasing the instance's memory: valid until close.
func (in *instance) view(addr uint32, n int) ([]byte, error) {
	b, ok := in.mod.Memory().Read(addr, uint32(n))
	if !ok || n < 0 || int64(n) > int64(^uint32(0)) {
		return nil, fmt.Errorf("read %d bytes at %d: outside memory", n, addr)
	}
	return b, nil
}

// PeakMemory is what a call's instance memory grew to, in bytes.
type PeakMemory int64

// CompileFresh compiles one module (by its name in CompileTimes: "libheif",
// "libavif decoder", "libavif encoder", "libwebp") in a new runtime with
// the given engine and no cache, and returns how long that took: the
// first-use cost, for benchmarks.
func CompileFresh(name string, engine Engine) (time.Duration, error) {
	var m *module
	for _, c := range []*module{heifDecoder, avifDecoder, avifEncoder, webpCodec} {
		if c.name == name {
			m = c
		}
	}
	if m == nil {
		return 0, fmt.Errorf("no module %q", name)
	}
	ctx := context.Background()
	cfg := wazero.NewRuntimeConfigCompiler()
	if engine == Interpreter {
		cfg = wazero.NewRuntimeConfigInterpreter()
	}
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	defer r.Close(ctx)
	start := time.Now()
	zr, err := gzip.NewReader(bytes.NewReader(*m.gz))
	if err != nil {
		return 0, err
	}
	wasm, err := io.ReadAll(zr)
	if err != nil {
		return 0, err
	}
	if _, err := r.CompileModule(ctx, wasm); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
