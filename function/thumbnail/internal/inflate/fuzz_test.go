package inflate

import "testing"

// FuzzRaw compares the Reader with compress/flate on arbitrary raw DEFLATE
// data cut into pieces: the same output, or both fail.
func FuzzRaw(f *testing.F) {
	for _, s := range allStreams(f)[:60] {
		if len(s.data) < 4<<10 {
			f.Add(s.data[2:], uint64(len(f.Name())))
		}
	}
	f.Add([]byte{0x07}, uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		compare(t, data, seed, false)
	})
}

// FuzzZlib compares the Reader with compress/zlib on arbitrary zlib data.
func FuzzZlib(f *testing.F) {
	for _, s := range allStreams(f)[:60] {
		if len(s.data) < 4<<10 {
			f.Add(s.data, uint64(1))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		compare(t, data, seed, true)
	})
}
