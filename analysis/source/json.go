package source

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON is parsed by a single-pass recursive-descent parser rather than with
// gjson: gjson.Valid accepts trailing commas ("[1,]"), which CloudFormation
// rejects, and Result.ForEach rescans every nested value, which made a
// 1.4 MB template take over 20 ms instead of a few.

// maxJSONDepth bounds nesting so that a few megabytes of '[' cannot grow the
// stack without limit; encoding/json uses the same limit.
const maxJSONDepth = 10000

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseJSON builds the node tree of a JSON document. Every value's Span
// covers it as written (quotes and brackets included), every key's KeySpan
// covers the key with its quotes. A UTF-8 byte order mark is skipped, and
// spans still count from the start of text. Duplicate keys are kept as
// separate pairs, in order, so rules can report them.
func ParseJSON(text []byte) (*Node, *SyntaxError) {
	p := &jsonParser{s: string(text)}
	if bytes.HasPrefix(text, utf8BOM) {
		p.i = len(utf8BOM)
	}
	p.space()
	if p.i == len(p.s) {
		return nil, &SyntaxError{Offset: p.i, Message: "empty document: expected a JSON value"}
	}
	root := p.value(0)
	if p.err == nil {
		if p.space(); p.i < len(p.s) {
			p.fail(fmt.Sprintf("unexpected %s after the end of the JSON value", p.describe()))
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return root, nil
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

type jsonParser struct {
	s    string // a copy of the text, so scalar values can share it
	i    int
	err  *SyntaxError
	slab []Node
	// Entries of the collections being read are gathered on these stacks
	// and copied out at exact size once a collection is closed, so building
	// a slice costs one copy instead of repeated growth.
	pairs []Pair
	items []*Node
	// Closed collections take their slices from these slabs.
	pairSlab []Pair
	itemSlab []*Node
}

// takePairs moves the pairs gathered since mark off the stack into a slice
// of their own; its capacity is its length, so appending to it later cannot
// overwrite a neighbour in the slab.
func (p *jsonParser) takePairs(mark int) []Pair {
	n := len(p.pairs) - mark
	if n > len(p.pairSlab) {
		p.pairSlab = make([]Pair, max(n, 512))
	}
	out := p.pairSlab[:n:n]
	p.pairSlab = p.pairSlab[n:]
	copy(out, p.pairs[mark:])
	clear(p.pairs[mark:])
	p.pairs = p.pairs[:mark]
	return out
}

func (p *jsonParser) takeItems(mark int) []*Node {
	n := len(p.items) - mark
	if n > len(p.itemSlab) {
		p.itemSlab = make([]*Node, max(n, 1024))
	}
	out := p.itemSlab[:n:n]
	p.itemSlab = p.itemSlab[n:]
	copy(out, p.items[mark:])
	clear(p.items[mark:])
	p.items = p.items[:mark]
	return out
}

// alloc hands out nodes from slabs: a 1 MB template has tens of thousands
// of nodes and one allocation each would dominate the parse.
func (p *jsonParser) alloc() *Node {
	if len(p.slab) == 0 {
		p.slab = make([]Node, 256)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	return n
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && isJSONSpace(p.s[p.i]) {
		p.i++
	}
}

// fail records the first error at the current offset; a truncated document
// gets a message naming the brackets it lacks instead.
func (p *jsonParser) fail(msg string) {
	if p.err != nil {
		return
	}
	if p.i >= len(p.s) {
		p.err = unexpectedEnd([]byte(p.s))
		return
	}
	p.err = &SyntaxError{Offset: p.i, Message: msg}
}

// describe names the byte at the cursor for an error message.
func (p *jsonParser) describe() string {
	if p.i >= len(p.s) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return fmt.Sprintf("character %q", r)
}

func (p *jsonParser) value(depth int) *Node {
	if p.i >= len(p.s) {
		p.fail("")
		return nil
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		n := p.alloc()
		start := p.i
		n.Value = p.str()
		n.Style, n.Span = DoubleQuoted, Span{start, p.i}
		return n
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", Bool)
	case c == 'f':
		return p.literal("false", Bool)
	case c == 'n':
		return p.literal("null", Null)
	}
	p.fail(fmt.Sprintf("unexpected %s: expected a JSON value", p.describe()))
	return nil
}

func (p *jsonParser) object(depth int) *Node {
	n := p.alloc()
	n.Kind, n.Style = Mapping, Flow
	start := p.i
	if depth > maxJSONDepth {
		p.fail(fmt.Sprintf("JSON nested deeper than %d levels", maxJSONDepth))
		return nil
	}
	p.i++ // {
	mark := len(p.pairs)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		n.Span = Span{start, p.i}
		return n
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.fail("trailing comma before }")
			} else {
				p.fail(fmt.Sprintf("unexpected %s: expected a key in double quotes", p.describe()))
			}
			return nil
		}
		ks := p.i
		key := p.str()
		if p.err != nil {
			return nil
		}
		keySpan := Span{ks, p.i}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.fail(fmt.Sprintf("unexpected %s: expected ':' after key %q", p.describe(), key))
			return nil
		}
		p.i++
		p.space()
		v := p.value(depth)
		if p.err != nil {
			return nil
		}
		p.pairs = append(p.pairs, Pair{Key: key, KeySpan: keySpan, Value: v})
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			n.Span = Span{start, p.i}
			n.Pairs = p.takePairs(mark)
			return n
		}
		p.fail(fmt.Sprintf("unexpected %s: expected ',' or '}' after the value of %q", p.describe(), key))
		return nil
	}
}

func (p *jsonParser) array(depth int) *Node {
	n := p.alloc()
	n.Kind, n.Style = Sequence, Flow
	start := p.i
	if depth > maxJSONDepth {
		p.fail(fmt.Sprintf("JSON nested deeper than %d levels", maxJSONDepth))
		return nil
	}
	p.i++ // [
	mark := len(p.items)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		n.Span = Span{start, p.i}
		return n
	}
	for {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.fail("trailing comma before ]")
			return nil
		}
		v := p.value(depth)
		if p.err != nil {
			return nil
		}
		p.items = append(p.items, v)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			n.Span = Span{start, p.i}
			n.Items = p.takeItems(mark)
			return n
		}
		p.fail(fmt.Sprintf("unexpected %s: expected ',' or ']' in array", p.describe()))
		return nil
	}
}

func (p *jsonParser) literal(word string, typ ScalarType) *Node {
	if !strings.HasPrefix(p.s[p.i:], word) {
		p.fail(fmt.Sprintf("unexpected %s: expected a JSON value", p.describe()))
		return nil
	}
	n := p.alloc()
	n.ScalarType, n.Value, n.Span = typ, word, Span{p.i, p.i + len(word)}
	p.i += len(word)
	return n
}

// number accepts exactly JSON's grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (p *jsonParser) number() *Node {
	s, start := p.s, p.i
	i := start
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	bad := func() *Node {
		p.i = i
		p.fail(fmt.Sprintf("invalid number %q: expected a digit", s[start:i]))
		return nil
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return bad()
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return bad()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return bad()
		}
	}
	n := p.alloc()
	n.ScalarType, n.Value, n.Span = Number, s[start:i], Span{start, i}
	p.i = i
	return n
}

// str reads the string at the cursor (a '"') and returns it decoded; the
// common string without escapes shares the text instead of being copied.
func (p *jsonParser) str() string {
	s := p.s
	start := p.i + 1
	i := start
	for i < len(s) {
		c := s[i]
		if c == '"' {
			p.i = i + 1
			return s[start:i]
		}
		if c == '\\' {
			return p.unescape(start, i)
		}
		if c < 0x20 {
			p.i = i
			p.fail(fmt.Sprintf("control character %U in string: escape it", rune(c)))
			return ""
		}
		i++
	}
	p.i = len(s)
	p.fail("")
	return ""
}

// unescape decodes a string from start whose first escape is at i.
func (p *jsonParser) unescape(start, i int) string {
	s := p.s
	b := make([]byte, 0, i-start+16)
	b = append(b, s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			return string(b)
		case c < 0x20:
			p.i = i
			p.fail(fmt.Sprintf("control character %U in string: escape it", rune(c)))
			return ""
		case c != '\\':
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			break
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				p.i = i
				p.fail(`invalid \u escape: expected four hex digits`)
				return ""
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
			continue
		default:
			p.i = i
			p.fail(fmt.Sprintf(`invalid escape "\%c" in string`, e))
			return ""
		}
		i += 2
	}
	p.i = len(s)
	p.fail("")
	return ""
}

// hex4 decodes four hex digits at i.
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// unexpectedEnd names what is missing at the end of a truncated document,
// which is what someone typing in an editor most often has. The offset is
// just after the last non-blank byte, where the missing text would go.
func unexpectedEnd(body []byte) *SyntaxError {
	end := len(body)
	for end > 0 && isJSONSpace(body[end-1]) {
		end--
	}
	var stack []byte
	inStr := false
	for i := 0; i < end; i++ {
		c := body[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{':
			stack = append(stack, '}')
		case c == '[':
			stack = append(stack, ']')
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	msg := "unexpected end of JSON"
	switch {
	case inStr:
		msg += `: missing closing "`
	case len(stack) > 0:
		missing := make([]byte, 0, len(stack))
		for i := len(stack) - 1; i >= 0 && len(missing) < 8; i-- {
			missing = append(missing, stack[i])
		}
		if len(stack) > 8 {
			missing = append(missing, "..."...)
		}
		msg += ": missing " + string(missing)
	}
	return &SyntaxError{Offset: end, Message: msg}
}
