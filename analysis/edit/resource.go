package edit

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/source"
)

// This file writes whole new values — a resource, a parameter, list items —
// into a document in its own style: JSON with its indentation unit (spaces
// or tabs), YAML with its indentation width, its way of indenting block
// sequences, short or long intrinsic forms, and its line endings.

// Value is a value to write: an expression, a Ref, a mapping or a list.
type Value struct {
	expr   *Expr
	ref    string
	fields []Field
	items  []Value
	fn     string
	kind   uint8 // 0 expr, 1 ref, 2 mapping, 3 list, 4 intrinsic function, 5 raw text
}

// Raw is text copied as written from the same document, such as an
// existing `!Ref VpcId` or `"vpc-0abc"`; it must fit on one line.
func Raw(text string) Value { return Value{fn: text, kind: 5} }

// Field is one key of a mapping Value.
type Field struct {
	Key   string
	Value Value
}

// Val is a scalar or Fn::Sub / Fn::GetAtt expression value.
func Val(e Expr) Value { return Value{expr: &e} }

// Str is a literal string value.
func Str(s string) Value { return Val(Lit(s)) }

// RefTo is `!Ref id` (or {"Ref": id}).
func RefTo(id string) Value { return Value{ref: id, kind: 1} }

// Map is a mapping value with its keys in the given order.
func Map(fields ...Field) Value { return Value{fields: fields, kind: 2} }

// List is a list value.
func List(items ...Value) Value { return Value{items: items, kind: 3} }

// Fn is an intrinsic function call such as Fn("Fn::Split", List(...)),
// written on one line: `!Split [',', ...]` or {"Fn::Split": [...]}.
func Fn(name string, arg Value) Value { return Value{fn: name, items: []Value{arg}, kind: 4} }

// writer renders values for one document.
type writer struct {
	doc   *source.Document
	st    Style
	nl    string
	unit  string
	dedup bool // YAML block sequences written at their key's column
}

// newWriter returns the document's writer. Its settings are facts about
// the whole text, and a template may get a fix for every resource, so it
// is made once per document; it is never changed after, so fixes made
// concurrently may share it.
func newWriter(doc *source.Document) *writer {
	return doc.Memo(writerKey{}, func() any { return makeWriter(doc) }).(*writer)
}

type writerKey struct{}

func makeWriter(doc *source.Document) *writer {
	w := &writer{doc: doc, st: StyleOf(doc), nl: "\n"}
	if i := bytes.IndexByte(doc.Text, '\n'); i > 0 && doc.Text[i-1] == '\r' {
		w.nl = "\r\n"
	}
	switch {
	case doc.Format == source.JSON && doc.IndentTabs:
		w.unit = strings.Repeat("\t", max(doc.Indent, 1))
	default:
		w.unit = strings.Repeat(" ", max(doc.Indent, 2))
	}
	if doc.Format == source.YAML {
		w.dedup = doc.Memo(indentlessKey{}, func() any { return indentlessSequences(doc) }).(bool)
	}
	return w
}

type indentlessKey struct{}

// indentlessSequences reports whether the document writes block sequences
// with the dash at the column of their key ("key:\n- item").
func indentlessSequences(doc *source.Document) bool {
	found, indentless := false, false
	source.Walk(doc.Root, func(n *source.Node) bool {
		if found || n.Kind != source.Mapping {
			return !found
		}
		for _, p := range n.Pairs {
			v := p.Value
			if v == nil || v.Kind != source.Sequence || v.Style == source.Flow || len(v.Items) == 0 || v.Short {
				continue
			}
			kc, _ := column(doc.Text, p.KeySpan.Start)
			dc, _ := column(doc.Text, dashBefore(doc.Text, v.Items[0].Span.Start))
			found, indentless = true, dc == kc
			return false
		}
		return true
	})
	return indentless
}

// dashBefore finds the "-" that introduces a block sequence item.
func dashBefore(text []byte, at int) int {
	i := at
	for i > 0 && text[i-1] != '-' && text[i-1] != '\n' {
		i--
	}
	if i > 0 && text[i-1] == '-' {
		return i - 1
	}
	return at
}

// inline renders a value that fits on one line, or reports false.
func (w *writer) inline(v Value) (string, bool) {
	switch v.kind {
	case 0:
		e := *v.expr
		if e.Sub && w.st.Format == source.YAML && w.st.Short {
			return "!Sub " + Scalar(e.Text, source.YAML), true
		}
		return Render(e, w.st), true
	case 1:
		switch {
		case w.st.Format == source.JSON:
			return `{"Ref": ` + strconv.Quote(v.ref) + `}`, true
		case w.st.Short:
			return "!Ref " + v.ref, true
		}
		return "{Ref: " + Scalar(v.ref, source.YAML) + "}", true
	case 5:
		return v.fn, true
	case 4:
		arg, ok := w.flow(v.items[0])
		if !ok {
			return "", false
		}
		switch {
		case w.st.Format == source.JSON:
			return `{` + strconv.Quote(v.fn) + `: ` + arg + `}`, true
		case w.st.Short:
			return "!" + strings.TrimPrefix(v.fn, "Fn::") + " " + arg, true
		}
		return "{" + Scalar(v.fn, source.YAML) + ": " + arg + "}", true
	}
	return "", false
}

// flow renders a value on one line, lists as [a, b].
func (w *writer) flow(v Value) (string, bool) {
	if v.kind != 3 {
		return w.inline(v)
	}
	var parts []string
	for _, it := range v.items {
		s, ok := w.flow(it)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, ", ") + "]", true
}

// The renderers below append to one buffer rather than join strings
// made for every line: a template may get a fix for every bucket.

// appendKey appends a mapping key.
func (w *writer) appendKey(b []byte, k string) []byte {
	if w.st.Format == source.JSON {
		return strconv.AppendQuote(b, k)
	}
	return append(b, Scalar(k, source.YAML)...)
}

// entry renders v as the value of key k at indentation ind: "k: v" or
// "k:" followed by more lines, without a final line break.
func (w *writer) entry(ind, k string, v Value) string {
	return string(w.appendEntry(nil, ind, k, v))
}

func (w *writer) appendEntry(b []byte, ind, k string, v Value) []byte {
	b = append(b, ind...)
	b = w.appendKey(b, k)
	if w.st.Format == source.JSON {
		b = append(b, ": "...)
		if s, ok := w.inline(v); ok {
			return append(b, s...)
		}
		return w.appendJSON(b, ind, v)
	}
	b = append(b, ':')
	if s, ok := w.inline(v); ok {
		return append(append(b, ' '), s...)
	}
	b = append(b, w.nl...)
	return w.appendYAML(b, ind+w.unit, v)
}

// appendYAML appends a mapping or list as block YAML lines at indentation
// ind.
func (w *writer) appendYAML(b []byte, ind string, v Value) []byte {
	switch v.kind {
	case 2:
		for i, f := range v.fields {
			if i > 0 {
				b = append(b, w.nl...)
			}
			if f.Value.kind == 3 && w.dedup {
				b = append(b, ind...)
				b = w.appendKey(b, f.Key)
				b = append(b, ':')
				b = append(b, w.nl...)
				b = w.appendYAMLList(b, ind, f.Value)
				continue
			}
			b = w.appendEntry(b, ind, f.Key, f.Value)
		}
	case 3:
		return w.appendYAMLList(b, ind, v)
	}
	return b
}

func (w *writer) yamlList(ind string, v Value) string {
	return string(w.appendYAMLList(nil, ind, v))
}

func (w *writer) appendYAMLList(b []byte, ind string, v Value) []byte {
	for i, it := range v.items {
		if i > 0 {
			b = append(b, w.nl...)
		}
		b = append(b, ind...)
		b = append(b, "- "...)
		if s, ok := w.inline(it); ok {
			b = append(b, s...)
			continue
		}
		// The item's first line follows the dash: drop its indentation.
		at := len(b)
		b = w.appendYAML(b, ind+"  ", it)
		lead := 0
		for at+lead < len(b) && b[at+lead] == ' ' {
			lead++
		}
		b = append(b[:at], b[at+lead:]...)
	}
	return b
}

// json renders a mapping or list whose first bracket follows text at
// indentation ind.
func (w *writer) json(ind string, v Value) string {
	return string(w.appendJSON(nil, ind, v))
}

func (w *writer) appendJSON(b []byte, ind string, v Value) []byte {
	open, end := byte('{'), byte('}')
	n := 0
	switch v.kind {
	case 2:
		n = len(v.fields)
	case 3:
		open, end = '[', ']'
		n = len(v.items)
	}
	b = append(b, open)
	if n == 0 {
		return append(b, end)
	}
	in := ind + w.unit
	b = append(b, w.nl...)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
			b = append(b, w.nl...)
		}
		if v.kind == 2 {
			b = w.appendEntry(b, in, v.fields[i].Key, v.fields[i].Value)
			continue
		}
		b = append(b, in...)
		if s, ok := w.inline(v.items[i]); ok {
			b = append(b, s...)
		} else {
			b = w.appendJSON(b, in, v.items[i])
		}
	}
	b = append(b, w.nl...)
	b = append(b, ind...)
	return append(b, end)
}

// lineEnd returns the offset of the line break (or end of text) that ends
// the line on which a value ending at end finishes.
func lineEnd(text []byte, end int) int {
	if end > 0 && end <= len(text) && text[end-1] == '\n' {
		end--
		if end > 0 && text[end-1] == '\r' {
			end--
		}
		return end
	}
	for end < len(text) && text[end] != '\n' && text[end] != '\r' {
		end++
	}
	return end
}

// InsertEntry adds key: v as the last entry of a non-empty mapping (such as
// Resources or Parameters), at the indentation of its entries. It reports
// false for mappings it cannot extend in place (empty or flow YAML).
func InsertEntry(doc *source.Document, m *source.Node, key string, v Value) (diag.Edit, bool) {
	if m == nil || m.Kind != source.Mapping || len(m.Pairs) == 0 {
		return diag.Edit{}, false
	}
	if doc.Format != source.JSON && m.Style == source.Flow {
		return diag.Edit{}, false
	}
	w := newWriter(doc)
	last := m.Pairs[len(m.Pairs)-1]
	ind := indentAt(doc.Text, last.KeySpan.Start)
	b := make([]byte, 0, 256)
	at := last.Value.Span.End
	if doc.Format == source.JSON {
		b = append(b, ',')
	} else {
		at = lineEnd(doc.Text, max(last.Value.Span.End, last.KeySpan.End))
	}
	b = append(b, w.nl...)
	b = w.appendEntry(b, ind, key, v)
	return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: string(b)}, true
}

// indentAt is the indentation of text that starts at the column of
// offset: the line's leading whitespace, then spaces up to the column.
// Usually that is spaces alone, given without allocating.
func indentAt(text []byte, offset int) string {
	start := offset
	for start > 0 && text[start-1] != '\n' {
		start--
	}
	col := offset - start
	spaces := true
	for i := start; i < offset && spaces; i++ {
		spaces = text[i] == ' '
	}
	if spaces && col <= len(blanks) {
		return blanks[:col]
	}
	_, lead := column(text, offset)
	return lead + strings.Repeat(" ", col-len(lead))
}

// blanks are the indentations indentAt gives without allocating.
const blanks = "                                                                "

// InsertEntryBefore adds key: v as a new entry just before an existing
// entry of the same mapping, such as a Parameters section before Resources.
func InsertEntryBefore(doc *source.Document, before *source.Pair, key string, v Value) diag.Edit {
	w := newWriter(doc)
	col, lead := column(doc.Text, before.KeySpan.Start)
	ind := lead + strings.Repeat(" ", col-len(lead))
	at := before.KeySpan.Start
	if doc.Format == source.JSON {
		return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: strings.TrimPrefix(w.entry(ind, key, v), ind) + "," + w.nl + ind}
	}
	return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: strings.TrimPrefix(w.entry(ind, key, v), ind) + w.nl + ind}
}

// AppendItems adds items after the last item of an existing list value —
// a YAML block or flow sequence or a JSON array — in its style: a mapping
// item in a block sequence becomes a block "- key: ..." entry. It reports
// false when the value is not a list (a Ref to a list parameter, say) or
// an item cannot be written in its style.
func AppendItems(doc *source.Document, list *source.Node, items ...Value) (diag.Edit, bool) {
	if list == nil || list.Kind != source.Sequence || list.Short || len(items) == 0 {
		return diag.Edit{}, false
	}
	if f, _ := list.Intrinsic(); f != "" {
		return diag.Edit{}, false
	}
	w := newWriter(doc)
	text := doc.Text
	flow := list.Style == source.Flow || doc.Format == source.JSON
	if len(list.Items) == 0 {
		if !flow {
			return diag.Edit{}, false
		}
		var rendered []string
		for _, it := range items {
			s, ok := w.flow(it)
			if !ok {
				return diag.Edit{}, false
			}
			rendered = append(rendered, s)
		}
		at := list.Span.Start + 1
		return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: strings.Join(rendered, ", ")}, true
	}
	last := list.Items[len(list.Items)-1]
	at := last.Span.End
	if flow {
		// One item per line stays one item per line.
		multiline := strings.ContainsAny(string(text[list.Span.Start:last.Span.Start]), "\n")
		col, lead := column(text, last.Span.Start)
		ind := lead + strings.Repeat(" ", col-len(lead))
		var rendered []string
		for _, it := range items {
			s, ok := w.inline(it)
			switch {
			case ok:
			case doc.Format == source.JSON:
				s = w.json(ind, it)
			default:
				if s, ok = w.flow(it); !ok {
					return diag.Edit{}, false
				}
			}
			rendered = append(rendered, s)
		}
		if doc.Format == source.JSON && multiline {
			return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: "," + w.nl + ind + strings.Join(rendered, ","+w.nl+ind)}, true
		}
		return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: ", " + strings.Join(rendered, ", ")}, true
	}
	dash := dashBefore(text, last.Span.Start)
	col, lead := column(text, dash)
	ind := lead + strings.Repeat(" ", col-len(lead))
	at = lineEnd(text, at)
	return diag.Edit{Span: source.Span{Start: at, End: at}, NewText: w.nl + w.yamlList(ind, List(items...))}, true
}
