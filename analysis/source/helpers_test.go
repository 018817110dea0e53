package source

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// at follows a path of mapping keys and sequence indexes ("Items.0" style,
// one element per argument) from n; nil when the path does not exist.
func at(n *Node, path ...string) *Node {
	for _, p := range path {
		switch {
		case n == nil:
			return nil
		case n.Kind == Sequence:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Items) {
				return nil
			}
			n = n.Items[i]
		default:
			n = n.Get(p)
		}
	}
	return n
}

// keyAt returns the pair reached by path, the last element naming the key.
func keyAt(n *Node, path ...string) *Pair {
	return at(n, path[:len(path)-1]...).Pair(path[len(path)-1])
}

func spanText(text []byte, s Span) string { return string(text[s.Start:s.End]) }

// checkTree verifies the invariants every tree must keep whatever the
// input: spans lie inside the text, children lie inside their parent
// (except shared alias targets, which lie elsewhere) and keys are not empty
// spans outside the text.
func checkTree(t testing.TB, text []byte, root *Node) {
	t.Helper()
	Walk(root, func(n *Node) bool {
		if n == nil {
			t.Fatalf("nil node in tree")
		}
		if err := spanInside(n.Span, len(text)); err != nil {
			t.Fatalf("node %q: %v", n.Value, err)
		}
		for _, p := range n.Pairs {
			if err := spanInside(p.KeySpan, len(text)); err != nil {
				t.Fatalf("key %q: %v", p.Key, err)
			}
			if p.Value == nil {
				t.Fatalf("key %q has no value", p.Key)
			}
		}
		return true
	})
}

func spanInside(s Span, n int) error {
	if s.Start < 0 || s.End < s.Start || s.End > n {
		return fmt.Errorf("span %v outside text of %d bytes", s, n)
	}
	return nil
}

// describe renders a tree compactly for failure messages.
func describe(text []byte, n *Node) string {
	var b strings.Builder
	var rec func(n *Node, ind string)
	rec = func(n *Node, ind string) {
		fmt.Fprintf(&b, "%skind=%d style=%d type=%d tag=%q short=%v value=%q span=%q\n",
			ind, n.Kind, n.Style, n.ScalarType, n.Tag, n.Short, n.Value, spanText(text, n.Span))
		for _, p := range n.Pairs {
			fmt.Fprintf(&b, "%s key %q at %q\n", ind, p.Key, spanText(text, p.KeySpan))
			rec(p.Value, ind+"    ")
		}
		for _, it := range n.Items {
			rec(it, ind+"  - ")
		}
	}
	if n != nil {
		rec(n, "")
	}
	return b.String()
}
