// Package navigate answers the editor's questions about the structure of a
// document: where a Ref, GetAtt, ${Name} or DependsOn entry points
// (Definition), what a template or policy is made of (Symbols), and which
// IAM actions fit where the user is typing (Complete). It works on byte
// offsets and spans of the node tree; the server converts them.
package navigate

import "github.com/iamlens/iamlens/analysis/source"

// step is one level of the way from the root to an offset: the node there,
// and the key it is the value of ("" for the root and sequence items).
type step struct {
	node  *source.Node
	pair  *source.Pair // the entry whose value is node, nil for items
	onKey bool         // the offset is on the entry's key, not its value
}

// pathAt returns the nodes that contain offset, outermost first.
func pathAt(root *source.Node, offset int) []step {
	var path []step
	n := root
	if n == nil || !n.Span.Contains(offset) {
		return nil
	}
	path = append(path, step{node: n})
	for {
		next, ok := childAt(n, offset)
		if !ok {
			return path
		}
		path = append(path, next)
		if next.onKey || next.node == nil {
			return path
		}
		n = next.node
	}
}

// childAt finds the entry or item of n that holds offset. Spans count their
// end as inside (a cursor just after a word is on it); when two neighbours
// touch, the one starting at offset wins.
func childAt(n *source.Node, offset int) (step, bool) {
	var best step
	found := false
	for i := range n.Pairs {
		p := &n.Pairs[i]
		if p.KeySpan.Contains(offset) {
			best, found = step{node: p.Value, pair: p, onKey: true}, true
			if offset < p.KeySpan.End {
				return best, true
			}
			continue
		}
		if p.Value != nil && p.Value.Span.Contains(offset) {
			best, found = step{node: p.Value, pair: p}, true
			if offset < p.Value.Span.End {
				return best, true
			}
		}
	}
	for _, it := range n.Items {
		if it != nil && it.Span.Contains(offset) {
			best, found = step{node: it}, true
			if offset < it.Span.End {
				return best, true
			}
		}
	}
	return best, found
}

// join is the smallest span covering both.
func join(a, b source.Span) source.Span {
	return source.Span{Start: min(a.Start, b.Start), End: max(a.End, b.End)}
}
