package edit

import (
	"strconv"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/source"
)

// KV is a small value tree to insert: a scalar written as given (Raw: YAML
// text such as "true" or "!Ref Key"; JSON is derived from JSONRaw when
// set), or a mapping of Pairs, or a list of Items.
type KV struct {
	Key     string
	Raw     string // YAML text of a scalar value
	JSONRaw string // JSON text of the same value; "" = quote Raw unless it is true/false/a number
	Pairs   []KV
	Items   []KV // list items (their Key is ignored)
}

// RenderRef writes `!Ref id` in the document's style.
func RenderRef(id string, st Style) string {
	switch {
	case st.Format == source.JSON:
		return `{"Ref": ` + strconv.Quote(id) + `}`
	case st.Short:
		return "!Ref " + id
	}
	return "{Ref: " + id + "}"
}

func (v KV) jsonScalar() string {
	if v.JSONRaw != "" {
		return v.JSONRaw
	}
	switch v.Raw {
	case "true", "false":
		return v.Raw
	}
	if _, err := strconv.ParseFloat(v.Raw, 64); err == nil {
		return v.Raw
	}
	return strconv.Quote(v.Raw)
}

// renderYAML writes the entry "key: value" at the given indentation (the
// first line without it).
func (v KV) renderYAML(indent, unit string) string {
	var b strings.Builder
	b.WriteString(v.Key + ":")
	v.yamlValue(&b, indent, unit)
	return b.String()
}

func (v KV) yamlValue(b *strings.Builder, indent, unit string) {
	switch {
	case len(v.Pairs) > 0:
		for _, p := range v.Pairs {
			b.WriteString("\n" + indent + unit + p.renderYAML(indent+unit, unit))
		}
	case len(v.Items) > 0:
		for _, it := range v.Items {
			b.WriteString("\n" + indent + unit + "- ")
			if len(it.Pairs) > 0 {
				for i, p := range it.Pairs {
					if i > 0 {
						b.WriteString("\n" + indent + unit + "  ")
					}
					b.WriteString(p.renderYAML(indent+unit+"  ", unit))
				}
				continue
			}
			b.WriteString(it.Raw)
		}
	default:
		b.WriteString(" " + v.Raw)
	}
}

func (v KV) renderJSON(indent, unit string, withKey bool) string {
	var b strings.Builder
	if withKey {
		b.WriteString(strconv.Quote(v.Key) + ": ")
	}
	switch {
	case len(v.Pairs) > 0:
		b.WriteString("{")
		for i, p := range v.Pairs {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + unit + p.renderJSON(indent+unit, unit, true))
		}
		b.WriteString("\n" + indent + "}")
	case len(v.Items) > 0:
		b.WriteString("[")
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + unit + it.renderJSON(indent+unit, unit, false))
		}
		b.WriteString("\n" + indent + "]")
	default:
		b.WriteString(v.jsonScalar())
	}
	return b.String()
}

func indentUnit(doc *source.Document) string {
	if doc.Format == source.JSON && doc.IndentTabs {
		return "\t"
	}
	return strings.Repeat(" ", max(doc.Indent, 1))
}

// InsertKey adds an entry at the end of a block (or JSON) mapping, in the
// document's style. ok is false for mappings it cannot extend safely
// (YAML flow mappings, empty mappings).
func InsertKey(doc *source.Document, m *source.Node, kv KV) (diag.Edit, bool) {
	if m == nil || m.Kind != source.Mapping || len(m.Pairs) == 0 {
		return diag.Edit{}, false
	}
	if doc.Format == source.YAML && m.Style == source.Flow {
		return diag.Edit{}, false
	}
	last := m.Pairs[len(m.Pairs)-1]
	col, lead := column(doc.Text, last.KeySpan.Start)
	indent := lead
	if col > len(lead) {
		indent = lead + strings.Repeat(" ", col-len(lead))
	}
	unit := indentUnit(doc)
	end := last.KeySpan.End
	if last.Value != nil {
		end = last.Value.Span.End
	}
	if doc.Format == source.JSON {
		return diag.Edit{Span: source.Span{Start: end, End: end}, NewText: ",\n" + indent + kv.renderJSON(indent, unit, true)}, true
	}
	return diag.Edit{Span: source.Span{Start: end, End: end}, NewText: "\n" + indent + kv.renderYAML(indent, unit)}, true
}

// AppendItem adds a list item, given as a KV mapping or scalar, after the
// last item of a mapping entry's list (block or JSON).
func AppendItem(doc *source.Document, pair *source.Pair, item KV) (diag.Edit, bool) {
	v := pair.Value
	if v == nil || v.Kind != source.Sequence || len(v.Items) == 0 {
		return diag.Edit{}, false
	}
	last := v.Items[len(v.Items)-1]
	unit := indentUnit(doc)
	if doc.Format == source.JSON {
		col, lead := column(doc.Text, last.Span.Start)
		indent := lead
		if col > len(lead) {
			indent = lead + strings.Repeat(" ", col-len(lead))
		}
		return diag.Edit{Span: source.Span{Start: last.Span.End, End: last.Span.End}, NewText: ",\n" + indent + item.renderJSON(indent, unit, false)}, true
	}
	if v.Style == source.Flow {
		return diag.Edit{}, false
	}
	dash := last.Span.Start
	for dash > 0 && doc.Text[dash-1] != '-' && doc.Text[dash-1] != '\n' {
		dash--
	}
	if dash == 0 || doc.Text[dash-1] != '-' {
		return diag.Edit{}, false
	}
	dash--
	col, lead := column(doc.Text, dash)
	indent := lead
	if col > len(lead) {
		indent = lead + strings.Repeat(" ", col-len(lead))
	}
	var b strings.Builder
	b.WriteString("\n" + indent + "- ")
	if len(item.Pairs) > 0 {
		for i, p := range item.Pairs {
			if i > 0 {
				b.WriteString("\n" + indent + "  ")
			}
			b.WriteString(p.renderYAML(indent+"  ", unit))
		}
	} else {
		b.WriteString(item.Raw)
	}
	return diag.Edit{Span: source.Span{Start: last.Span.End, End: last.Span.End}, NewText: b.String()}, true
}
