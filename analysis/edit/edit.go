// Package edit makes text edits that keep the author's style: JSON stays
// JSON with its indentation, YAML keeps short-form tags when the document
// uses them, and a scalar that must become a list becomes a list in the
// same style as the lists around it.
package edit

import (
	"strconv"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/source"
)

// Expr is a value to write: a literal string, or an Fn::Sub template.
type Expr struct {
	Text string
	Sub  bool // Text is an Fn::Sub template such as "${Bucket.Arn}/*"
	// getAtt: Text is "Id.Attr" of an Fn::GetAtt.
	getAtt bool
}

// Lit is a literal string expression.
func Lit(s string) Expr { return Expr{Text: s} }

// Sub is an Fn::Sub expression.
func Sub(tmpl string) Expr { return Expr{Text: tmpl, Sub: true} }

// Style is how intrinsic functions are written in a document.
type Style struct {
	Format source.Format
	Short  bool // YAML with short-form tags (!Sub)
}

// StyleOf says how a document writes intrinsics: YAML documents that use
// any short-form tag, or none at all, get short forms.
func StyleOf(doc *source.Document) Style {
	st := Style{Format: doc.Format}
	if doc.Format != source.YAML {
		return st
	}
	short, long := doc.IntrinsicForms()
	st.Short = short || !long
	return st
}

// Render writes an expression as a value in the given style, for use where
// a flow (inline) value is expected.
func Render(e Expr, st Style) string {
	if e.getAtt {
		id, attr, _ := strings.Cut(e.Text, ".")
		switch {
		case st.Format == source.JSON:
			return `{"Fn::GetAtt": [` + strconv.Quote(id) + `, ` + strconv.Quote(attr) + `]}`
		case st.Short:
			return "!GetAtt " + e.Text
		}
		return `{"Fn::GetAtt": [` + id + `, ` + attr + `]}`
	}
	if !e.Sub {
		return Scalar(e.Text, st.Format)
	}
	switch {
	case st.Format == source.JSON:
		return `{"Fn::Sub": ` + strconv.Quote(e.Text) + `}`
	case st.Short:
		return "!Sub " + yamlSingleQuoted(e.Text)
	}
	return `{"Fn::Sub": ` + yamlSingleQuoted(e.Text) + `}`
}

// Scalar writes a string scalar: a JSON string, or a YAML scalar quoted
// only when plain text would be read differently.
func Scalar(s string, f source.Format) string {
	if f == source.JSON {
		return strconv.Quote(s)
	}
	if plainSafe(s) {
		return s
	}
	return yamlSingleQuoted(s)
}

func yamlSingleQuoted(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// plainSafe reports whether s can be written as a plain YAML scalar and
// read back as the same string.
func plainSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		return false
	}
	if strings.ContainsAny(s[:1], "!&*-?{}[],#|>@`\"'%:") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return false
	}
	return !strings.ContainsAny(s, "\n\r\t")
}

// Replace replaces a node with new text.
func Replace(n *source.Node, text string) diag.Edit {
	return diag.Edit{Span: n.Span, NewText: text}
}

// ReplaceScalar replaces a scalar keeping its quoting.
func ReplaceScalar(n *source.Node, s string, f source.Format) diag.Edit {
	switch {
	case f == source.JSON:
		return Replace(n, strconv.Quote(s))
	case n.Style == source.DoubleQuoted:
		return Replace(n, strconv.Quote(s))
	case n.Style == source.SingleQuoted:
		return Replace(n, yamlSingleQuoted(s))
	}
	return Replace(n, Scalar(s, f))
}

// column returns the 0-based byte column of offset on its line, and the
// line's leading whitespace.
func column(text []byte, offset int) (int, string) {
	start := offset
	for start > 0 && text[start-1] != '\n' {
		start--
	}
	lead := start
	for lead < len(text) && (text[lead] == ' ' || text[lead] == '\t') {
		lead++
	}
	return offset - start, string(text[start:lead])
}

// AppendToList adds an item after the existing value of a mapping entry.
// A scalar becomes a two-item list in the style of the document: a JSON
// array, or a YAML block sequence indented under the key; an existing list
// gets one more item after its last.
func AppendToList(doc *source.Document, pair *source.Pair, item Expr) diag.Edit {
	st := StyleOf(doc)
	v := pair.Value
	text := doc.Text
	newItem := Render(item, st)
	if v.Kind == source.Sequence && len(v.Items) > 0 {
		last := v.Items[len(v.Items)-1]
		if v.Style == source.Flow || doc.Format == source.JSON {
			return diag.Edit{Span: source.Span{Start: last.Span.End, End: last.Span.End}, NewText: ", " + newItem}
		}
		// Block sequence: a new "- item" line at the column of the last dash.
		dash := last.Span.Start
		for dash > 0 && text[dash-1] != '-' && text[dash-1] != '\n' {
			dash--
		}
		if dash > 0 && text[dash-1] == '-' {
			dash--
		}
		_, lead := column(text, dash)
		col, _ := column(text, dash)
		indent := lead
		if col > len(lead) {
			indent = lead + strings.Repeat(" ", col-len(lead))
		}
		return diag.Edit{Span: source.Span{Start: last.Span.End, End: last.Span.End}, NewText: "\n" + indent + "- " + newItem}
	}
	old := string(text[v.Span.Start:v.Span.End])
	if doc.Format == source.JSON || v.Kind == source.Sequence {
		return diag.Edit{Span: v.Span, NewText: "[" + old + ", " + newItem + "]"}
	}
	_, lead := column(text, pair.KeySpan.Start)
	col, _ := column(text, pair.KeySpan.Start)
	base := lead + strings.Repeat(" ", col-len(lead))
	unit := strings.Repeat(" ", max(doc.Indent, 2))
	ind := base + unit
	return diag.Edit{
		Span:    source.Span{Start: pair.KeySpan.End, End: v.Span.End},
		NewText: ":\n" + ind + "- " + old + "\n" + ind + "- " + newItem,
	}
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

// GetAtt is an Fn::GetAtt expression.
func GetAtt(id, attr string) Expr { return Expr{Text: id + "." + attr, getAtt: true} }
