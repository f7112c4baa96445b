package backfill

// frontier tracks which listed keys are handled, so that a run can stop at any
// moment and resume without handling any key twice. Keys are added in listing
// order and finish in any order; the resume point is the last key before which
// everything is handled, plus the keys handled beyond it. Only keys between
// the resume point and the newest listed key are held: with bounded
// concurrency, a handful.
type frontier struct {
	after    string // every key up to and including after is handled
	hasAfter bool   // false until the first key is handled in order
	base     uint64 // sequence number of the oldest key not yet folded into after
	next     uint64 // sequence number the next key gets
	pending  map[uint64]pendingKey
}

type pendingKey struct {
	key  string
	done bool
}

// newFrontier starts after a resume point (hasAfter false: from the beginning).
func newFrontier(after string, hasAfter bool) *frontier {
	return &frontier{after: after, hasAfter: hasAfter, pending: map[uint64]pendingKey{}}
}

// add records a listed key, not yet handled, and returns its sequence number.
func (f *frontier) add(key string) uint64 {
	seq := f.next
	f.next++
	f.pending[seq] = pendingKey{key: key}
	return seq
}

// done records that the key of seq is handled, moving the resume point past
// every key handled in an unbroken run from it.
func (f *frontier) done(seq uint64) {
	p, ok := f.pending[seq]
	if !ok {
		return // already folded in
	}
	p.done = true
	f.pending[seq] = p
	for {
		p, ok := f.pending[f.base]
		if !ok || !p.done {
			return
		}
		f.after, f.hasAfter = p.key, true
		delete(f.pending, f.base)
		f.base++
	}
}

// resumePoint returns the last key before which every key is handled (ok false
// when there is none yet) and the keys after it that are handled too, in
// listing order.
func (f *frontier) resumePoint() (after string, ok bool, doneBeyond []string) {
	for seq := f.base; seq < f.next; seq++ {
		if p := f.pending[seq]; p.done {
			doneBeyond = append(doneBeyond, p.key)
		}
	}
	return f.after, f.hasAfter, doneBeyond
}

// settled reports whether every key added is handled.
func (f *frontier) settled() bool { return len(f.pending) == 0 }
