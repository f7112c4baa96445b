//go:build unix

package wasmcodec

import "syscall"

// reserve maps size bytes of address space that the kernel backs with
// zeroed pages only when they are first touched, so a decoder's linear
// memory costs what it uses and grows without copying.
func reserve(size int) ([]byte, error) {
	return syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
}

// release unmaps what reserve mapped.
func release(b []byte) { _ = syscall.Munmap(b) }
