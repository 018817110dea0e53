package navigate

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
)

// SymbolKind is what a symbol stands for; the server picks the LSP kind.
type SymbolKind uint8

const (
	SymbolSection SymbolKind = iota // Parameters, Resources, Outputs
	SymbolParameter
	SymbolResource
	SymbolFunction // a Lambda or SAM function
	SymbolOutput
	SymbolStatement
)

// Symbol is one entry of the document outline. Span covers the whole
// entry; Selection, inside it, is what the editor highlights (the key).
type Symbol struct {
	Name      string
	Detail    string
	Kind      SymbolKind
	Span      source.Span
	Selection source.Span
	Children  []Symbol
}

// Symbols is the outline of a document: a template's Parameters, Resources
// (with the statements of the policies they hold) and Outputs, or a policy
// file's statements.
func Symbols(m *model.Model) []Symbol {
	if m == nil || m.Doc == nil || m.Doc.Root == nil {
		return nil
	}
	if m.Template != nil {
		return templateSymbols(m)
	}
	var out []Symbol
	for _, p := range m.Policies {
		if p.Synthetic {
			continue
		}
		for _, st := range p.Statements {
			out = append(out, statementSymbol(st, ""))
		}
	}
	return out
}

func templateSymbols(m *model.Model) []Symbol {
	t := m.Template
	var out []Symbol
	for _, p := range m.Doc.Root.Pairs {
		sec := Symbol{Name: p.Key, Kind: SymbolSection, Selection: p.KeySpan, Span: p.KeySpan}
		if p.Value != nil {
			sec.Span = join(p.KeySpan, p.Value.Span)
		}
		switch p.Key {
		case "Parameters":
			for _, id := range t.ParamOrder {
				par := t.Parameters[id]
				sec.Children = append(sec.Children, entry(id, par.Type, SymbolParameter, par.KeySpan, par.Node))
			}
		case "Resources":
			for _, id := range t.Order {
				r := t.Resources[id]
				kind := SymbolResource
				if r.Type == "AWS::Lambda::Function" || r.Type == "AWS::Serverless::Function" {
					kind = SymbolFunction
				}
				sym := entry(id, r.Type, kind, r.KeySpan, r.Node)
				sym.Children = ownedStatements(m, id, sym.Span)
				sec.Children = append(sec.Children, sym)
			}
		case "Outputs":
			for _, o := range t.Outputs {
				detail, _ := o.Node.Get("Description").Str()
				sec.Children = append(sec.Children, entry(o.ID, detail, SymbolOutput, o.KeySpan, o.Node))
			}
		default:
			continue
		}
		out = append(out, sec)
	}
	return out
}

// entry is the symbol of a `key: value` entry.
func entry(name, detail string, kind SymbolKind, key source.Span, value *source.Node) Symbol {
	sp := key
	if value != nil {
		sp = join(key, value.Span)
	}
	return Symbol{Name: name, Detail: detail, Kind: kind, Span: sp, Selection: key}
}

// ownedStatements lists the statements of the policies a resource holds,
// as children of the resource.
func ownedStatements(m *model.Model, id string, within source.Span) []Symbol {
	var out []Symbol
	for _, p := range m.Policies {
		if p.Synthetic || p.Owner != id {
			continue
		}
		for _, st := range p.Statements {
			sym := statementSymbol(st, p.Name)
			if sym.Span.Start >= within.Start && sym.Span.End <= within.End {
				out = append(out, sym)
			}
		}
	}
	return out
}

// statementSymbol names a statement by its Sid, else by its position.
func statementSymbol(st *iam.Statement, policyName string) Symbol {
	name := st.Sid
	if name == "" {
		name = fmt.Sprintf("Statement %d", st.Index+1)
	}
	var detail []string
	if policyName != "" {
		detail = append(detail, policyName)
	}
	if st.Policy != nil && st.Policy.Kind != iam.Identity {
		detail = append(detail, st.Policy.Kind.String())
	}
	if st.Effect != "" {
		detail = append(detail, st.Effect+" "+actionSummary(st))
	}
	sp := st.Span()
	sel := sp
	if p := st.Node.Pair("Sid"); p != nil && p.Value != nil {
		sel = p.Value.Span
	} else if p := st.Node.Pair("Effect"); p != nil {
		sel = p.KeySpan
	}
	if sel.Start < sp.Start || sel.End > sp.End {
		sel = sp
	}
	return Symbol{Name: name, Detail: strings.TrimSpace(strings.Join(detail, " · ")), Kind: SymbolStatement, Span: sp, Selection: sel}
}

// actionSummary names up to three actions of a statement.
func actionSummary(st *iam.Statement) string {
	var names []string
	for _, a := range st.Actions {
		names = append(names, a.Value.String())
	}
	prefix := ""
	if st.NotAction {
		prefix = "all but "
	}
	switch {
	case len(names) == 0:
		return ""
	case len(names) > 3:
		return fmt.Sprintf("%s%s and %d more", prefix, strings.Join(names[:3], ", "), len(names)-3)
	}
	return prefix + strings.Join(names, ", ")
}
