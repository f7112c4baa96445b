package s3server

// draw is a number in [0, 1) fixed by seed, the request's identity (method and path) and
// n, the number of earlier requests with that identity: the n-th GET of a key draws the
// same number in every run.
func draw(seed uint64, identity string, n uint64) float64 {
	// FNV-1a over the identity, started from the seed, then n mixed in.
	const prime = 1099511628211
	h := mix(seed ^ 14695981039346656037)
	for i := 0; i < len(identity); i++ {
		h ^= uint64(identity[i])
		h *= prime
	}
	h = mix(h ^ mix(n+0x9e3779b97f4a7c15))
	return float64(h>>11) / (1 << 53)
}

// mix is the SplitMix64 finalizer: it spreads every input bit over the whole word.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
