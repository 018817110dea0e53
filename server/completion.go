package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/iamlens/iamlens/analysis/navigate"
)

// Completion offers IAM action names inside Action and NotAction lists,
// replacing the partly typed word.
func (s *Server) Completion(ctx context.Context, params *protocol.CompletionParams) (*protocol.CompletionList, error) {
	d, a := s.current(string(params.TextDocument.URI))
	if d == nil || a.res == nil || a.res.Model == nil {
		return nil, nil
	}
	m := a.snap.mapper()
	c, ok := navigate.Complete(a.res.Model, m.offset(params.Position))
	if !ok {
		return nil, nil
	}
	replace := m.rng(c.Replace)
	list := &protocol.CompletionList{IsIncomplete: c.Incomplete, Items: make([]protocol.CompletionItem, 0, len(c.Items))}
	for i, it := range c.Items {
		kind := protocol.CompletionItemKindValue
		if it.Service {
			kind = protocol.CompletionItemKindModule
		}
		item := protocol.CompletionItem{
			Label:      it.Label,
			Kind:       kind,
			Detail:     it.Detail,
			FilterText: it.Label,
			SortText:   sortKey(i),
			TextEdit:   &protocol.TextEdit{Range: replace, NewText: it.Insert},
		}
		if it.Documentation != "" {
			item.Documentation = it.Documentation
		}
		list.Items = append(list.Items, item)
	}
	return list, nil
}

// sortKey keeps the order analysis chose.
func sortKey(i int) string {
	const digits = "0123456789"
	b := []byte{'0', '0', '0', '0', '0'}
	for p := len(b) - 1; p >= 0 && i > 0; p-- {
		b[p] = digits[i%10]
		i /= 10
	}
	return string(b)
}
