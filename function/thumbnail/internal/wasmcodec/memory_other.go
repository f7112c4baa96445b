//go:build !unix

package wasmcodec

// reserve allocates from the Go heap where there is no mmap.
func reserve(size int) ([]byte, error) { return make([]byte, size), nil }

func release([]byte) {}
