package source

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxAliasNodes caps how many nodes aliases may add to the tree as Walk sees
// it. Aliases share the anchored node, so the tree stays small, but walking
// it would revisit the node once per alias: ten nested anchors of ten
// aliases each ("billion laughs") would mean 10^10 visits. Beyond the cap an
// alias becomes a null scalar.
const maxAliasNodes = 100_000

// shortForms maps CloudFormation's YAML short-form tags to the key of the
// equivalent long form, so analysis code sees one shape for both.
var shortForms = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!GetAtt":       "Fn::GetAtt",
	"!Sub":          "Fn::Sub",
	"!Join":         "Fn::Join",
	"!If":           "Fn::If",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!FindInMap":    "Fn::FindInMap",
	"!ImportValue":  "Fn::ImportValue",
	"!Equals":       "Fn::Equals",
	"!Not":          "Fn::Not",
	"!And":          "Fn::And",
	"!Or":           "Fn::Or",
	"!Base64":       "Fn::Base64",
	"!Cidr":         "Fn::Cidr",
	"!GetAZs":       "Fn::GetAZs",
	"!Transform":    "Fn::Transform",
	"!Length":       "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// ParseYAML builds the node tree of the first document of a YAML stream.
// An empty document (or one holding only comments) gives a nil root and no
// error. See Node for how short-form tags are represented.
func ParseYAML(text []byte) (*Node, *SyntaxError) {
	root, _, err := parseYAML(text)
	return root, err
}

// parseYAML also returns the indentation step seen in block collections
// (0 when there is none).
func parseYAML(text []byte) (root *Node, indent int, serr *SyntaxError) {
	doc, err := unmarshalYAML(text)
	if err != nil {
		return nil, 0, yamlError(text, newYAMLLines(text), err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, 0, nil
	}
	c := &yamlConverter{text: text, lines: newYAMLLines(text), anchors: map[*yaml.Node]*anchored{}}
	root, _ = c.convert(doc.Content[0])
	return root, c.indent, nil
}

// anchored is the converted form of an anchored node, kept for its aliases.
type anchored struct {
	node *Node
	size int // nodes Walk visits below and including node
	done bool
}

type yamlConverter struct {
	text       []byte
	lines      *yamlLines
	anchors    map[*yaml.Node]*anchored
	aliasNodes int // nodes added through aliases so far
	indent     int // smallest indentation step of a nested block collection
	// Nodes, pairs and items are cut from blocks: a big template has tens
	// of thousands of small ones, which one allocation each would make
	// slow to allocate and to collect. The tree lives and dies as a whole.
	slab     []Node
	pairSlab []Pair
	itemSlab []*Node
}

func (c *yamlConverter) alloc() *Node {
	if len(c.slab) == 0 {
		c.slab = make([]Node, 128)
	}
	n := &c.slab[0]
	c.slab = c.slab[1:]
	return n
}

// slabSize is the number of pairs or items in one block; bigger
// collections get their own.
const slabSize = 512

// pairs returns an empty slice with room for n pairs. Its capacity is n,
// so appending beyond it (merge keys) copies instead of overwriting the
// next mapping's pairs.
func (c *yamlConverter) pairs(n int) []Pair {
	if n == 0 || n > slabSize/8 { // make of nothing allocates nothing
		return make([]Pair, 0, n)
	}
	if len(c.pairSlab) < n {
		c.pairSlab = make([]Pair, slabSize)
	}
	s := c.pairSlab[:0:n]
	c.pairSlab = c.pairSlab[n:]
	return s
}

// items is pairs for sequence items.
func (c *yamlConverter) items(n int) []*Node {
	if n == 0 || n > slabSize/8 { // make of nothing allocates nothing
		return make([]*Node, 0, n)
	}
	if len(c.itemSlab) < n {
		c.itemSlab = make([]*Node, slabSize)
	}
	s := c.itemSlab[:0:n]
	c.itemSlab = c.itemSlab[n:]
	return s
}

// convert returns the node for n and how many nodes Walk visits below it.
func (c *yamlConverter) convert(n *yaml.Node) (*Node, int) {
	start := c.lines.offset(n.Line, n.Column)
	if n.Kind == yaml.AliasNode {
		return c.alias(n, start)
	}
	var anc *anchored
	if n.Anchor != "" {
		anc = &anchored{}
		c.anchors[n] = anc
	}
	content, tagSpan := start, Span{start, start}
	tagged := n.Style&yaml.TaggedStyle != 0
	if n.Anchor != "" || tagged || (start < len(c.text) && c.text[start] == '!' && !(n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0)) {
		var propsEnd int
		content, tagSpan, propsEnd = c.skipProperties(start, n.Tag)
		if n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			// An empty plain scalar ends with its properties; what follows
			// (a comment, the next entry) is not part of it.
			content = propsEnd
		}
	}
	out, size := c.alloc(), 1
	switch n.Kind {
	case yaml.ScalarNode:
		c.scalar(out, n, content)
	case yaml.MappingNode:
		size += c.mapping(out, n, content)
	case yaml.SequenceNode:
		size += c.sequence(out, n, content)
	default: // a nested document node cannot occur; keep it harmless
		out.ScalarType = Null
		out.Span = Span{content, content}
	}
	if tagged {
		if fn, ok := shortForms[n.Tag]; ok {
			out, size = c.shortForm(out, n.Tag, fn, start, tagSpan, size)
		} else {
			out.Tag = n.Tag
			out.Span.Start = start
		}
	} else {
		// yaml.v3 drops the non-specific tag "!"; keep it as written.
		out.Tag = string(c.text[tagSpan.Start:tagSpan.End])
		out.Span.Start = start
	}
	if anc != nil {
		anc.node, anc.size, anc.done = out, size, true
	}
	return out, size
}

// alias returns the anchored node, or a null scalar when the alias refers to
// a node that contains it or would exceed the expansion budget.
func (c *yamlConverter) alias(n *yaml.Node, start int) (*Node, int) {
	end := start + 1
	for end < len(c.text) && spaceLen(c.text, end) == 0 && !isFlowIndicator(c.text[end]) {
		end++
	}
	if a := c.anchors[n.Alias]; a != nil && a.done && c.aliasNodes+a.size <= maxAliasNodes {
		c.aliasNodes += a.size
		return a.node, a.size
	}
	out := c.alloc()
	out.ScalarType, out.Span = Null, Span{start, min(end, len(c.text))}
	return out, 1
}

func isFlowIndicator(b byte) bool { return b == ',' || b == '[' || b == ']' || b == '{' || b == '}' }

// skipProperties steps over an anchor and a tag (in either order) and the
// blanks, line breaks and comments after them. It returns where the content
// starts, the span of the tag and where the last property ends. The tag
// yaml.v3 read is matched first: tags may hold ',' '[' ']', which otherwise
// end a token in flow collections.
func (c *yamlConverter) skipProperties(p int, tagName string) (content int, tag Span, propsEnd int) {
	t := c.text
	tag = Span{p, p}
	propsEnd = p
	tagSeen := false
	for p < len(t) && (t[p] == '&' || t[p] == '!') {
		if t[p] == '!' && tagSeen {
			break // a node has one tag: a second '!' is content
		}
		s := p
		switch {
		case t[p] == '!' && tagName != "" && bytes.HasPrefix(t[p:], []byte(tagName)):
			p += len(tagName)
		case t[p] == '!' && p+1 < len(t) && t[p+1] == '<':
			if i := bytes.IndexByte(t[p:], '>'); i > 0 {
				p += i + 1
			}
		}
		if t[s] == '&' {
			// yaml.v3 reads anchor names of letters, digits, '_' and '-'.
			for p++; p < len(t) && isAnchorChar(t[p]); p++ {
			}
		} else {
			for p < len(t) && spaceLen(t, p) == 0 && !isFlowIndicator(t[p]) {
				p++
			}
		}
		if t[s] == '!' {
			tag, tagSeen = Span{s, p}, true
		}
		propsEnd = p
		p = c.skipBlanks(p)
	}
	return p, tag, propsEnd
}

func isAnchorChar(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == '-'
}

// skipBlanks skips blanks, line breaks and comments.
func (c *yamlConverter) skipBlanks(p int) int {
	t := c.text
	for p < len(t) {
		if n := spaceLen(t, p); n > 0 {
			p += n
			continue
		}
		if t[p] != '#' {
			break
		}
		for p < len(t) && breakLen(t, p) == 0 {
			p++
		}
	}
	return p
}

func (c *yamlConverter) scalar(out *Node, n *yaml.Node, p int) {
	out.Kind, out.Value = Scalar, n.Value
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		out.Style = DoubleQuoted
	case n.Style&yaml.SingleQuotedStyle != 0:
		out.Style = SingleQuoted
	case n.Style&yaml.LiteralStyle != 0:
		out.Style = Literal
	case n.Style&yaml.FoldedStyle != 0:
		out.Style = Folded
	}
	if out.Style == Plain || n.Style&yaml.TaggedStyle != 0 {
		switch n.ShortTag() {
		case "!!int", "!!float":
			out.ScalarType = Number
		case "!!bool":
			out.ScalarType = Bool
		case "!!null":
			out.ScalarType = Null
		}
	}
	out.Span = Span{p, c.scalarEnd(out.Style, n.Value, p)}
}

// scalarEnd finds where a scalar starting at p ends; yaml.v3 records only
// where nodes start. Quoted scalars end at their closing quote. Plain and
// block scalars hold no comments, and their value keeps every non-blank
// character of the text in order (folding changes only blanks and breaks),
// so the scalar ends after the text character matching the value's last
// non-blank one; trailing blank lines are thus left out.
func (c *yamlConverter) scalarEnd(style Style, value string, p int) int {
	t := c.text
	if p >= len(t) {
		return len(t)
	}
	switch style {
	case DoubleQuoted, SingleQuoted:
		q := t[p]
		if q != '"' && q != '\'' {
			break
		}
		for i := p + 1; i < len(t); i++ {
			switch {
			case q == '"' && t[i] == '\\':
				i++
			case t[i] == q && q == '\'' && i+1 < len(t) && t[i+1] == '\'':
				i++
			case t[i] == q:
				return i + 1
			}
		}
		return len(t)
	case Literal, Folded:
		header := p + 1 // the indicator and its chomping/indentation digits
		for header < len(t) && (t[header] == '+' || t[header] == '-' || t[header] >= '1' && t[header] <= '9') {
			header++
		}
		body := header
		for body < len(t) && breakLen(t, body) == 0 {
			body++
		}
		return max(header, matchEnd(t, body, value))
	}
	// The usual plain scalar is written as its value, which ends with a
	// non-blank ASCII character: then matchEnd would walk to its end.
	if n := len(value); n > 0 && p+n <= len(t) && value[n-1] > ' ' && value[n-1] < utf8.RuneSelf && string(t[p:p+n]) == value {
		return p + n
	}
	return max(p, matchEnd(t, p, value))
}

// matchEnd walks text from p and value side by side, skipping blanks and
// line breaks on both, and returns the offset just after the text character
// matching the last non-blank character of value. On a mismatch (which a
// well-formed plain or block scalar does not produce) it stops there.
func matchEnd(t []byte, p int, value string) int {
	v := value
	end := p
	for i := 0; i < len(v); {
		if n := spaceLen(v, i); n > 0 {
			i += n
			continue
		}
		for p < len(t) {
			n := spaceLen(t, p)
			if n == 0 {
				break
			}
			p += n
		}
		if p >= len(t) || t[p] != v[i] {
			return end
		}
		p++
		i++
		end = p
	}
	return end
}

func (c *yamlConverter) mapping(out *Node, n *yaml.Node, p int) int {
	out.Kind = Mapping
	flow := n.Style&yaml.FlowStyle != 0
	if flow {
		out.Style = Flow
	}
	size := 0
	end := p
	var merged []bool // allocated at the first merge key only
	out.Pairs = c.pairs(len(n.Content) / 2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		var key *Node
		var ks int
		var plain Node
		if start, ok := c.plainKey(kn); ok {
			// The usual key, a scalar without anchor or tag: only its text
			// and span are kept, so it needs no node of the tree.
			key, ks = &plain, 1
			c.scalar(key, kn, start)
		} else {
			key, ks = c.convert(kn)
		}
		val, vs := c.convert(vn)
		size += ks + vs
		end = max(end, key.Span.End, val.Span.End)
		if kn.Kind == yaml.ScalarNode && kn.Tag == "!!merge" {
			if pairs, ok := mergePairs(val); ok {
				if merged == nil {
					merged = make([]bool, len(out.Pairs), len(n.Content)/2)
				}
				for range pairs {
					merged = append(merged, true)
				}
				out.Pairs = append(out.Pairs, pairs...)
				continue
			}
		}
		name, ok := key.Str()
		if !ok || key.Short {
			name = string(c.text[key.Span.Start:key.Span.End])
		}
		out.Pairs = append(out.Pairs, Pair{Key: name, KeySpan: key.Span, Value: val})
		if merged != nil {
			merged = append(merged, false)
		}
		if !flow && (vn.Kind == yaml.MappingNode || vn.Kind == yaml.SequenceNode) && vn.Style&yaml.FlowStyle == 0 {
			c.noteIndent(key.Span.Start, val)
		}
	}
	if merged != nil {
		out.Pairs = applyMerges(out.Pairs, merged)
	}
	out.Span = Span{p, c.flowEnd(p, end, '{')}
	return size
}

// plainKey reports whether convert would read n as a bare scalar (no
// anchor, which an alias may refer to, and no tag), and where it starts.
func (c *yamlConverter) plainKey(n *yaml.Node) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return 0, false
	}
	start := c.lines.offset(n.Line, n.Column)
	return start, !(start < len(c.text) && c.text[start] == '!' && n.Value != "")
}

func (c *yamlConverter) sequence(out *Node, n *yaml.Node, p int) int {
	out.Kind = Sequence
	if n.Style&yaml.FlowStyle != 0 {
		out.Style = Flow
	}
	size := 0
	end := p
	out.Items = c.items(len(n.Content))
	for _, it := range n.Content {
		item, s := c.convert(it)
		size += s
		end = max(end, item.Span.End)
		out.Items = append(out.Items, item)
	}
	out.Span = Span{p, c.flowEnd(p, end, '[')}
	return size
}

// flowEnd extends a flow collection written with brackets through its
// closing bracket; a block collection (or a flow-sequence entry "a: b",
// which has no braces) ends with its last child.
func (c *yamlConverter) flowEnd(p, lastEnd int, open byte) int {
	t := c.text
	if p >= len(t) || t[p] != open {
		return lastEnd
	}
	closer := byte(']')
	if open == '{' {
		closer = '}'
	}
	i := max(lastEnd, p+1)
	for i < len(t) {
		i = c.skipBlanks(i)
		if i < len(t) && t[i] == ',' {
			i++
			continue
		}
		break
	}
	if i < len(t) && t[i] == closer {
		return i + 1
	}
	return lastEnd
}

// noteIndent records the indentation step between a key and the block
// collection nested under it on a later line.
func (c *yamlConverter) noteIndent(keyStart int, val *Node) {
	at := val.Span.Start
	if val.Short && len(val.Pairs) == 1 {
		at = val.Pairs[0].Value.Span.Start
	}
	kl, vl := c.lineOf(keyStart), c.lineOf(at)
	if vl <= kl {
		return
	}
	if step := (at - vl) - (keyStart - kl); step > 0 && (c.indent == 0 || step < c.indent) {
		c.indent = step
	}
}

// lineOf returns the start of the line holding offset.
func (c *yamlConverter) lineOf(offset int) int {
	return bytes.LastIndexByte(c.text[:min(offset, len(c.text))], '\n') + 1
}

// mergePairs returns the pairs a "<<" merge key brings in: those of a
// mapping, or of each mapping in a sequence, in order.
func mergePairs(val *Node) ([]Pair, bool) {
	if val.Kind == Mapping && !val.Short {
		return val.Pairs, true
	}
	if val.Kind != Sequence {
		return nil, false
	}
	var pairs []Pair
	for _, it := range val.Items {
		if it.Kind != Mapping || it.Short {
			return nil, false
		}
		pairs = append(pairs, it.Pairs...)
	}
	return pairs, true
}

// applyMerges applies YAML merge precedence: a key written in the mapping
// overrides a merged one, and an earlier merged key overrides a later one.
// merged[i] says whether pairs[i] came from a merge.
func applyMerges(pairs []Pair, merged []bool) []Pair {
	own := map[string]bool{}
	for i, p := range pairs {
		if !merged[i] {
			own[p.Key] = true
		}
	}
	seen := map[string]bool{}
	out := make([]Pair, 0, len(pairs))
	for i, p := range pairs {
		if merged[i] {
			if own[p.Key] || seen[p.Key] {
				continue
			}
			seen[p.Key] = true
		}
		out = append(out, p)
	}
	return out
}

// shortForm wraps inner, converted without its tag, in the long form's
// one-key mapping: the key's span is the tag, the mapping spans both.
func (c *yamlConverter) shortForm(inner *Node, tag, fn string, start int, tagSpan Span, size int) (*Node, int) {
	if tag == "!GetAtt" && inner.Kind == Scalar {
		inner = c.splitGetAtt(inner)
		size += len(inner.Items)
	}
	w := c.alloc()
	w.Kind, w.Short, w.Tag = Mapping, true, tag
	w.Span = Span{start, max(inner.Span.End, tagSpan.End)}
	w.Pairs = []Pair{{Key: fn, KeySpan: tagSpan, Value: inner}}
	return w, size + 1
}

// splitGetAtt turns "Resource.Attr.Sub" into ["Resource", "Attr.Sub"],
// split at the first dot as CloudFormation does. Item spans lie inside the
// scalar when its text is its value (plain, or quoted without escapes);
// otherwise both items span the whole scalar.
func (c *yamlConverter) splitGetAtt(s *Node) *Node {
	seq := c.alloc()
	seq.Kind, seq.Style, seq.Span = Sequence, s.Style, s.Span
	dot := strings.IndexByte(s.Value, '.')
	if dot < 0 {
		seq.Items = []*Node{s}
		return seq
	}
	inner := s.Span
	if s.Style == DoubleQuoted || s.Style == SingleQuoted {
		inner = Span{s.Span.Start + 1, s.Span.End - 1}
	}
	exact := inner.Start <= inner.End && string(c.text[inner.Start:inner.End]) == s.Value
	a, b := c.alloc(), c.alloc()
	a.Value, b.Value = s.Value[:dot], s.Value[dot+1:]
	if exact {
		a.Span = Span{inner.Start, inner.Start + dot}
		b.Span = Span{inner.Start + dot + 1, inner.End}
	} else {
		a.Style, b.Style = s.Style, s.Style
		a.Span, b.Span = s.Span, s.Span
	}
	seq.Items = []*Node{a, b}
	return seq
}
