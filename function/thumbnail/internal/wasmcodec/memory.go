package wasmcodec

import (
	"github.com/tetratelabs/wazero/experimental"
)

// linearMemory backs one module instance's memory with a reservation of
// limit bytes. Growing past the limit fails the way a full memory does in
// WebAssembly (memory.grow returns -1, malloc returns NULL), so a decoder
// can never take more than its budget, whatever the file declares.
type linearMemory struct {
	limit   uint64
	buf     []byte
	size    uint64
	peak    uint64
	refused bool // a grow beyond the limit was refused
	err     error
}

// Allocate implements experimental.MemoryAllocator.
func (m *linearMemory) Allocate(_, _ uint64) experimental.LinearMemory { return m }

// Reallocate implements experimental.LinearMemory.
func (m *linearMemory) Reallocate(size uint64) []byte {
	if size > m.limit {
		m.refused = true
		return nil
	}
	if m.buf == nil {
		b, err := reserve(int(m.limit))
		if err != nil {
			m.err = err
			return nil
		}
		m.buf = b
	}
	m.size = size
	m.peak = max(m.peak, size)
	return m.buf[:size:size]
}

// Free implements experimental.LinearMemory.
func (m *linearMemory) Free() {
	if m.buf != nil {
		release(m.buf)
		m.buf = nil
	}
}
