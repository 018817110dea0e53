package arn

import (
	"sync"

	"github.com/iamlens/iamlens/analysis/value"
)

// matcher holds the buffers of one symbolic match: the token lists of both
// sides and the visited set and stack of the searches. Rules and the access
// reasoner match every statement against every resource of a template, so
// the buffers come from a pool instead of being allocated per match.
type matcher struct {
	p, r  []token
	seen  []uint64 // bit set of visited states
	stack []int
}

var matchers = sync.Pool{New: func() any { return new(matcher) }}

// maxPooledWords bounds the visited set kept in the pool, so one huge
// value does not pin its buffer for good.
const maxPooledWords = 1 << 14

func getMatcher() *matcher { return matchers.Get().(*matcher) }

// tokens reads a pattern and a resource into the matcher's lists.
func (m *matcher) tokens(pattern, resource value.Str) (p, r []token) {
	m.p = tokens(m.p, pattern, true)
	m.r = tokens(m.r, resource, false)
	return m.p, m.r
}

// release returns the matcher to the pool, dropping the tokens' pointers
// into the values matched.
func (m *matcher) release() {
	clear(m.p)
	clear(m.r)
	m.p, m.r = m.p[:0], m.r[:0]
	if cap(m.seen) > maxPooledWords {
		m.seen = nil
	}
	matchers.Put(m)
}

// reset starts a search over states 0..n-1.
func (m *matcher) reset(n int) {
	words := (n + 63) / 64
	if cap(m.seen) < words {
		m.seen = make([]uint64, words)
	} else {
		m.seen = m.seen[:words]
		clear(m.seen)
	}
	m.stack = m.stack[:0]
}

// push marks state k visited and schedules it, unless already seen.
func (m *matcher) push(k int) {
	w, bit := k/64, uint64(1)<<(k%64)
	if m.seen[w]&bit == 0 {
		m.seen[w] |= bit
		m.stack = append(m.stack, k)
	}
}

func (m *matcher) pop() int {
	k := m.stack[len(m.stack)-1]
	m.stack = m.stack[:len(m.stack)-1]
	return k
}
