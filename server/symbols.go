package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/iamlens/iamlens/analysis/navigate"
)

// DocumentSymbol lists a template's parameters, resources and outputs, or a
// policy file's statements, as a hierarchy.
func (s *Server) DocumentSymbol(ctx context.Context, params *protocol.DocumentSymbolParams) ([]interface{}, error) {
	d, a := s.current(string(params.TextDocument.URI))
	out := []interface{}{}
	if d == nil || a.res == nil || a.res.Model == nil {
		return out, nil
	}
	m := a.snap.mapper()
	for _, sym := range navigate.Symbols(a.res.Model) {
		out = append(out, toSymbol(m, sym))
	}
	return out, nil
}

func toSymbol(m *mapper, sym navigate.Symbol) protocol.DocumentSymbol {
	ds := protocol.DocumentSymbol{
		Name:           sym.Name,
		Detail:         sym.Detail,
		Kind:           symbolKinds[sym.Kind],
		Range:          m.rng(sym.Span),
		SelectionRange: m.rng(sym.Selection),
	}
	for _, c := range sym.Children {
		ds.Children = append(ds.Children, toSymbol(m, c))
	}
	return ds
}

var symbolKinds = map[navigate.SymbolKind]protocol.SymbolKind{
	navigate.SymbolSection:   protocol.SymbolKindNamespace,
	navigate.SymbolParameter: protocol.SymbolKindVariable,
	navigate.SymbolResource:  protocol.SymbolKindObject,
	navigate.SymbolFunction:  protocol.SymbolKindFunction,
	navigate.SymbolOutput:    protocol.SymbolKindConstant,
	navigate.SymbolStatement: protocol.SymbolKindStruct,
}
