package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/iamlens/iamlens/analysis/hover"
)

// Hover answers from the analysis of the current text; analysis/hover
// writes the text, in markdown or plain text as the client asked.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	d, a := s.current(string(params.TextDocument.URI))
	if d == nil || a.res == nil || a.res.Model == nil {
		return nil, nil
	}
	m := a.snap.mapper()
	s.mu.Lock()
	kind := s.hoverKind
	s.mu.Unlock()
	format := hover.Markdown
	if kind == protocol.PlainText {
		format = hover.PlainText
	}
	h, ok := hover.At(a.res.Model, m.offset(params.Position), format)
	if !ok {
		return nil, nil
	}
	r := m.rng(h.Span)
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: kind, Value: h.Text}, Range: &r}, nil
}
