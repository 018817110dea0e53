package navigate

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/iam/catalog"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
)

// Completion is what fits at the cursor: items that replace the Replace
// span. Incomplete means the list was filtered by what is typed so far, so
// the editor should ask again as the word grows or shrinks.
type Completion struct {
	Replace    source.Span
	Items      []Item
	Incomplete bool
}

// Item is one proposal.
type Item struct {
	Label         string // "s3:GetObject", or "s3:" for a service
	Insert        string // the text that replaces the span (quoted where JSON needs it)
	Detail        string // access level, or the service's action count
	Documentation string
	Service       bool // a service prefix rather than an action
}

// Complete proposes IAM action names when offset is inside an Action or
// NotAction value: in a JSON string or a YAML scalar, including an empty
// list item. It reads the node tree when the document parses and the text
// around the cursor when it does not (half-typed JSON rarely parses).
func Complete(m *model.Model, offset int) (Completion, bool) {
	if m == nil || m.Doc == nil || offset < 0 || offset > len(m.Doc.Text) {
		return Completion{}, false
	}
	text := m.Doc.Text
	word := wordAt(text, offset)
	var ok, quote bool
	if m.Doc.Root != nil {
		ok, quote = treeContext(m.Doc, offset)
	}
	if !ok {
		if m.Doc.Format == source.JSON {
			ok, quote = jsonContext(text, offset)
		} else {
			ok = yamlContext(text, offset)
		}
	}
	if !ok {
		return Completion{}, false
	}
	typed := string(text[word.Start:offset])
	c := Completion{Replace: word, Incomplete: true}
	for _, it := range proposals(typed) {
		it.Insert = it.Label
		if quote {
			it.Insert = `"` + it.Label + `"`
		}
		c.Items = append(c.Items, it)
	}
	return c, true
}

// proposals are the actions of the typed service whose names start with
// what is typed, or the services whose prefix does.
func proposals(typed string) []Item {
	var out []Item
	if svc, name, ok := strings.Cut(typed, ":"); ok {
		for _, a := range catalog.ServiceActions(svc) {
			if hasPrefixFold(a.Name, name) {
				out = append(out, Item{Label: a.FullName(), Detail: a.AccessLevel, Documentation: a.Description})
			}
		}
		return out
	}
	for _, svc := range catalog.Services() {
		if hasPrefixFold(svc, typed) {
			out = append(out, Item{Label: svc + ":", Detail: "service", Service: true})
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isActionByte reports whether c can be part of an action name as typed.
func isActionByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == ':' || c == '*' || c == '?' || c == '-' || c == '_'
}

// wordAt is the action name around offset.
func wordAt(text []byte, offset int) source.Span {
	start, end := offset, offset
	for start > 0 && isActionByte(text[start-1]) {
		start--
	}
	for end < len(text) && isActionByte(text[end]) {
		end++
	}
	return source.Span{Start: start, End: end}
}

// treeContext reports whether offset is inside the value of an Action or
// NotAction key, and whether a proposal must bring its own quotes (the
// cursor is between JSON list items, not inside a string).
func treeContext(doc *source.Document, offset int) (ok, quote bool) {
	path := pathAt(doc.Root, offset)
	at := -1
	for i, st := range path {
		if st.pair != nil && !st.onKey && (st.pair.Key == "Action" || st.pair.Key == "NotAction") {
			at = i
		}
	}
	if at < 0 {
		return false, false
	}
	leaf := path[len(path)-1].node
	// Below the Action key only list items and intrinsics (Fn::If) may lie.
	for _, st := range path[at+1:] {
		if st.pair != nil && !strings.HasPrefix(st.pair.Key, "Fn::") {
			return false, false
		}
	}
	switch {
	case leaf == nil:
		return false, false
	case leaf.Kind == source.Scalar:
		if leaf.Style == source.DoubleQuoted || leaf.Style == source.SingleQuoted {
			// Inside the quotes only.
			return offset > leaf.Span.Start && offset < leaf.Span.End, false
		}
		return true, false
	case leaf.Kind == source.Sequence:
		return true, doc.Format == source.JSON
	}
	return false, false
}

// jsonContext scans JSON text up to offset, tracking the keys of the open
// containers, for documents that do not parse.
func jsonContext(text []byte, offset int) (ok, quote bool) {
	type frame struct {
		array bool
		key   string // the key this container is the value of
	}
	var stack []frame
	lastKey, valueKey := "", ""
	expectKey := false
	for i := 0; i < offset; i++ {
		switch c := text[i]; c {
		case '"':
			j := i + 1
			for j < len(text) && text[j] != '"' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			if j >= offset {
				// The cursor is inside this string.
				if len(stack) == 0 {
					return false, false
				}
				top := stack[len(stack)-1]
				if top.array {
					return isActionKey(top.key), false
				}
				return !expectKey && isActionKey(valueKey), false
			}
			if len(stack) > 0 && !stack[len(stack)-1].array && expectKey {
				lastKey = string(text[i+1 : j])
			}
			i = j
		case '{', '[':
			key := ""
			if len(stack) > 0 && stack[len(stack)-1].array {
				key = stack[len(stack)-1].key
			} else if !expectKey {
				key = valueKey
			}
			stack = append(stack, frame{array: c == '[', key: key})
			expectKey = c == '{'
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
		case ':':
			expectKey, valueKey = false, lastKey
		case ',':
			if len(stack) > 0 && !stack[len(stack)-1].array {
				expectKey = true
			}
		}
	}
	if len(stack) > 0 && stack[len(stack)-1].array && isActionKey(stack[len(stack)-1].key) {
		return true, true
	}
	return false, false
}

func isActionKey(k string) bool { return k == "Action" || k == "NotAction" }

// yamlContext reads the lines above offset: a list item under an Action
// or NotAction key, `Action: word`, or `Action: [a, word`.
func yamlContext(text []byte, offset int) bool {
	lineStart := lineStartOf(text, offset)
	line := string(text[lineStart:offset])
	trimmed := strings.TrimLeft(line, " \t")
	indent := len(line) - len(trimmed)
	// `Action: word` or `- Action: [a, word` on the cursor's line.
	if k, rest, ok := strings.Cut(strings.TrimPrefix(trimmed, "- "), ":"); ok && isActionKey(strings.Trim(k, `"' `)) {
		rest = strings.TrimLeft(rest, " ")
		if strings.HasPrefix(rest, "[") {
			return !strings.Contains(rest, "]")
		}
		return !strings.ContainsAny(rest, " #")
	}
	if !strings.HasPrefix(trimmed, "-") {
		return false
	}
	// A list item: find its parent key above.
	for end := lineStart; end > 0; {
		start := lineStartOf(text, end-1)
		above := strings.TrimRight(string(text[start:end-1]), "\r")
		end = start
		t := strings.TrimLeft(above, " \t")
		ind := len(above) - len(t)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(t, "-") && ind == indent {
			continue // a sibling item
		}
		if ind > indent {
			continue // inside a sibling item
		}
		k, rest, ok := strings.Cut(strings.TrimPrefix(t, "- "), ":")
		return ok && isActionKey(strings.Trim(k, `"' `)) && strings.TrimSpace(rest) == ""
	}
	return false
}

func lineStartOf(text []byte, offset int) int {
	for offset > 0 && text[offset-1] != '\n' {
		offset--
	}
	return offset
}
