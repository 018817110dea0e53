package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/iamlens/iamlens/analysis/navigate"
)

// Definition jumps from a Ref, GetAtt, ${Name} in Sub, or DependsOn entry
// to the parameter or resource it names.
func (s *Server) Definition(ctx context.Context, params *protocol.DefinitionParams) ([]protocol.Location, error) {
	d, a := s.current(string(params.TextDocument.URI))
	if d == nil || a.res == nil || a.res.Model == nil {
		return nil, nil
	}
	m := a.snap.mapper()
	target, ok := navigate.Definition(a.res.Model, m.offset(params.Position))
	if !ok {
		return nil, nil
	}
	return []protocol.Location{{URI: params.TextDocument.URI, Range: m.rng(target)}}, nil
}
