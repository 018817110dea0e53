package navigate

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
)

// Definition returns the key of the parameter or resource that the
// reference at offset names: a Ref, a GetAtt (either part), a ${Name} or
// ${Name.Attr} inside Sub (or the Sub's own variable), or a DependsOn entry.
func Definition(m *model.Model, offset int) (source.Span, bool) {
	if m == nil || m.Template == nil || m.Doc == nil {
		return source.Span{}, false
	}
	t := m.Template
	path := pathAt(m.Doc.Root, offset)
	// The innermost intrinsic function around the offset decides.
	for i := len(path) - 1; i >= 0; i-- {
		fn, arg := path[i].node.Intrinsic()
		switch fn {
		case "Ref":
			name, _ := arg.Str()
			return target(t, name)
		case "Fn::GetAtt":
			id, _, ok := cfn.GetAttTarget(arg)
			if !ok {
				return source.Span{}, false
			}
			return target(t, id)
		case "Fn::Sub":
			return subTarget(m, arg, offset)
		}
	}
	// DependsOn: a resource id or a list of them.
	for i, st := range path {
		if st.pair == nil || st.pair.Key != "DependsOn" || st.onKey || i != 3 || path[1].pair == nil || path[1].pair.Key != "Resources" {
			continue
		}
		leaf := path[len(path)-1].node
		if name, ok := leaf.Str(); ok {
			return target(t, name)
		}
	}
	return source.Span{}, false
}

// target is the key of the parameter or resource called name.
func target(t *cfn.Template, name string) (source.Span, bool) {
	if p, ok := t.Parameters[name]; ok {
		return p.KeySpan, true
	}
	if r, ok := t.Resources[name]; ok {
		// A role SAM generates points at its function, which declares it.
		return r.KeySpan, true
	}
	return source.Span{}, false
}

// subTarget resolves the ${...} variable under the offset in an Fn::Sub
// string. The raw text of the string is searched, so escapes elsewhere in
// it do not shift the variable's position.
func subTarget(m *model.Model, arg *source.Node, offset int) (source.Span, bool) {
	str, vars := arg, (*source.Node)(nil)
	if arg != nil && arg.Kind == source.Sequence && len(arg.Items) > 0 {
		str = arg.Items[0]
		if len(arg.Items) > 1 {
			vars = arg.Items[1]
		}
	}
	if str == nil || str.Kind != source.Scalar || !str.Span.Contains(offset) {
		return source.Span{}, false
	}
	text := m.Doc.Text
	sp := str.Span
	if sp.Start < 0 || sp.End > len(text) {
		return source.Span{}, false
	}
	raw := string(text[sp.Start:sp.End])
	rel := offset - sp.Start
	for i := 0; i < len(raw); {
		open := strings.Index(raw[i:], "${")
		if open < 0 {
			break
		}
		open += i
		closeAt := strings.IndexByte(raw[open:], '}')
		if closeAt < 0 {
			break
		}
		closeAt += open
		if rel >= open && rel <= closeAt {
			name := strings.TrimSpace(raw[open+2 : closeAt])
			if name == "" || strings.HasPrefix(name, "!") {
				return source.Span{}, false // ${!Literal} is text
			}
			if p := vars.Pair(name); p != nil {
				return p.KeySpan, true
			}
			id, _, _ := strings.Cut(name, ".")
			return target(m.Template, id)
		}
		i = closeAt + 1
	}
	return source.Span{}, false
}
