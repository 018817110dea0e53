// Package source holds the text of a document and one node tree for both
// JSON and YAML, with byte spans for every key and value, so that every
// finding can point at the exact characters that cause it.
package source

import "sync"

// Span is a half-open byte range [Start, End) into the document text.
type Span struct{ Start, End int }

// Contains reports whether offset lies inside the span (end inclusive, so a
// cursor just after a word still counts as "on" it).
func (s Span) Contains(offset int) bool { return offset >= s.Start && offset <= s.End }

// Len is the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }

// Kind is the shape of a node.
type Kind uint8

const (
	Scalar Kind = iota
	Mapping
	Sequence
)

// ScalarType says how a scalar was written: JSON types, or the YAML 1.2 core
// schema resolution of a plain scalar.
type ScalarType uint8

const (
	String ScalarType = iota
	Number
	Bool
	Null
)

// Format is the syntax a document is written in.
type Format uint8

const (
	JSON Format = iota
	YAML
)

// Style records how a node was written, so edits can keep the author's style.
type Style uint8

const (
	Plain        Style = iota // unquoted scalar or block collection
	DoubleQuoted              // "..."
	SingleQuoted              // '...'
	Literal                   // YAML | block scalar
	Folded                    // YAML > block scalar
	Flow                      // JSON or YAML flow collection: {...} or [...]
)

// Node is one value of the document.
//
// CloudFormation short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) are
// turned into the same shape as their long forms: a Mapping with one pair
// whose key is "Ref", "Fn::GetAtt", "Fn::Sub" ...; such a node has Short set
// and Tag holding the tag as written ("!GetAtt"). `!GetAtt A.B` becomes
// {"Fn::GetAtt": ["A", "B"]} whose two item spans cover "A" and "B" inside the
// original scalar.
//
// The small fields come first, together, so that a node takes 104 bytes
// rather than 112: a large template has tens of thousands of nodes.
type Node struct {
	Kind       Kind
	ScalarType ScalarType // for Scalar
	Style      Style
	Short      bool    // a short-form intrinsic, see above
	Tag        string  // YAML tag as written ("!Ref", "!!str"), "" when none
	Value      string  // decoded scalar text (for Scalar)
	Span       Span    // the whole value, including quotes, tag and brackets
	Pairs      []Pair  // Mapping entries in document order
	Items      []*Node // Sequence items in document order
}

// Pair is one key: value entry of a mapping.
type Pair struct {
	Key     string
	KeySpan Span // the key as written, including quotes
	Value   *Node
}

// Get returns the value of key in a mapping, or nil. Keys are compared exactly.
func (n *Node) Get(key string) *Node {
	if p := n.Pair(key); p != nil {
		return p.Value
	}
	return nil
}

// Pair returns the entry for key in a mapping, or nil.
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for i := range n.Pairs {
		if n.Pairs[i].Key == key {
			return &n.Pairs[i]
		}
	}
	return nil
}

// Str returns the scalar's text and whether the node is a scalar.
func (n *Node) Str() (string, bool) {
	if n == nil || n.Kind != Scalar {
		return "", false
	}
	return n.Value, true
}

// List returns the items of a sequence, or the node itself as a one-item
// list: IAM and CloudFormation accept a single value wherever a list goes.
func (n *Node) List() []*Node {
	if n == nil {
		return nil
	}
	if n.Kind == Sequence {
		return n.Items
	}
	return []*Node{n}
}

// Intrinsic returns the function name and argument of a one-key mapping
// whose key is "Ref", "Condition" or starts with "Fn::", or "" when the node
// is not an intrinsic function call.
func (n *Node) Intrinsic() (string, *Node) {
	if n == nil || n.Kind != Mapping || len(n.Pairs) != 1 {
		return "", nil
	}
	k := n.Pairs[0].Key
	if k == "Ref" || k == "Condition" || (len(k) > 4 && k[:4] == "Fn::") {
		return k, n.Pairs[0].Value
	}
	return "", nil
}

// Document is a parsed text: its node tree, or the syntax error that stopped it.
type Document struct {
	Path   string
	Text   []byte
	Format Format
	Root   *Node        // nil when the text could not be parsed at all
	Err    *SyntaxError // first syntax error, nil when the text parsed
	Lines  *LineIndex
	// Indent is the indentation unit the document uses (2 when unknown),
	// and IndentTabs whether JSON is indented with tabs.
	Indent     int
	IndentTabs bool

	formsOnce       sync.Once
	short, longForm bool
	memo            sync.Map
}

// Memo returns the value compute gives for key, computing it once per
// document: facts about the whole text (its indentation habits, say) that
// many edits ask for.
func (d *Document) Memo(key any, compute func() any) any {
	if v, ok := d.memo.Load(key); ok {
		return v
	}
	v, _ := d.memo.LoadOrStore(key, compute())
	return v
}

// IntrinsicForms reports whether the document writes intrinsic functions
// in short form (!Ref) and in long form (Ref:, Fn::Sub:); computed once.
func (d *Document) IntrinsicForms() (short, long bool) {
	d.formsOnce.Do(func() {
		Walk(d.Root, func(n *Node) bool {
			if d.short && d.longForm {
				return false
			}
			if n.Short {
				d.short = true
			} else if f, _ := n.Intrinsic(); f != "" {
				d.longForm = true
			}
			return true
		})
	})
	return d.short, d.longForm
}

// SyntaxError is an unparseable document, located at the byte where the
// decoder stopped.
type SyntaxError struct {
	Offset  int
	Message string
}

func (e *SyntaxError) Error() string { return e.Message }

// Walk calls fn for n and every node below it, depth first, in document
// order; fn returning false skips that node's children.
func Walk(n *Node, fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for i := range n.Pairs {
		Walk(n.Pairs[i].Value, fn)
	}
	for _, it := range n.Items {
		Walk(it, fn)
	}
}
