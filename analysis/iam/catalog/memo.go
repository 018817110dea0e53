package catalog

import (
	"sync"
	"sync/atomic"
)

// memo remembers answers of Match and Lookup by their exact argument. The
// catalog is read-only, so an answer never goes stale; policies repeat the
// same few action names in every statement, and big templates ask about
// them thousands of times. The patterns come from documents, so the table
// stops growing at maxMemo entries: past that, answers are computed again.
type memo[V any] struct {
	m sync.Map // string -> V
	n atomic.Int64
}

const maxMemo = 1 << 14

func (c *memo[V]) get(key string, compute func(string) V) V {
	if v, ok := c.m.Load(key); ok {
		return v.(V)
	}
	v := compute(key)
	if c.n.Load() < maxMemo {
		if _, loaded := c.m.LoadOrStore(key, v); !loaded {
			c.n.Add(1)
		}
	}
	return v
}

type lookupResult struct {
	a  *Action
	ok bool
}

var (
	matchMemo  memo[[]*Action]
	lookupMemo memo[lookupResult]
)
