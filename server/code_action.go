package server

import (
	"context"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/protocol"

	"github.com/iamlens/iamlens/analysis/source"
)

// CodeAction offers the stored findings' fixes as quick fixes. It answers
// from the last stored analysis, and only when that analysis is of the
// document version the client is looking at: fixes are never re-derived,
// and an edit computed for other text would corrupt the document.
func (s *Server) CodeAction(ctx context.Context, params *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	out := []protocol.CodeAction{}
	if !wantsQuickFix(params.Context.Only) {
		return out, nil
	}
	uri := params.TextDocument.URI
	s.mu.Lock()
	d := s.docs[string(uri)]
	var a *analyzed
	current := false
	if d != nil {
		a = d.result
		current = a != nil && a.snap == d.snap
	}
	s.mu.Unlock()
	if !current || a.res == nil {
		return out, nil
	}

	var wanted []int
	var shown []protocol.Diagnostic
	seen := map[int]bool{}
	for _, dg := range params.Context.Diagnostics {
		i, ok := findingFor(a, dg)
		if ok && !seen[i] {
			seen[i] = true
			wanted = append(wanted, i)
			shown = append(shown, dg)
		}
	}
	if len(params.Context.Diagnostics) == 0 {
		// Some clients ask without diagnostics: offer the fixes of the
		// findings that touch the range.
		sel := a.snap.mapper().span(params.Range)
		for i, f := range a.res.Findings {
			if overlaps(f.Span, sel) {
				wanted = append(wanted, i)
				shown = append(shown, toDiagnostic(uri, a, i))
			}
		}
	}

	m := a.snap.mapper()
	for k, i := range wanted {
		for _, fix := range a.res.Findings[i].Fixes {
			edits := make([]protocol.TextEdit, 0, len(fix.Edits))
			for _, e := range fix.Edits {
				edits = append(edits, protocol.TextEdit{Range: m.rng(e.Span), NewText: e.NewText})
			}
			out = append(out, protocol.CodeAction{
				Title:       fix.Title,
				Kind:        protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{shown[k]},
				IsPreferred: fix.Preferred,
				// changes, not documentChanges: Neovim 0.7 applies only changes.
				Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{uri: edits}},
			})
		}
	}
	return out, nil
}

// findingFor finds the stored finding a client diagnostic stands for: by
// its data (version and index), or, for clients that drop data, by rule and
// range.
func findingFor(a *analyzed, dg protocol.Diagnostic) (int, bool) {
	findings := a.res.Findings
	if dg.Data != nil {
		var data diagnosticData
		raw, err := json.Marshal(dg.Data)
		if err == nil && json.Unmarshal(raw, &data) == nil && data.Rule != "" {
			ok := data.Version == a.snap.version && data.Index >= 0 && data.Index < len(findings) &&
				findings[data.Index].Rule == data.Rule
			return data.Index, ok
		}
	}
	code, _ := dg.Code.(string)
	m := a.snap.mapper()
	for i, f := range findings {
		if f.Rule == code && m.rng(f.Span) == dg.Range {
			return i, true
		}
	}
	return 0, false
}

func wantsQuickFix(only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if k == protocol.QuickFix || k == "" {
			return true
		}
	}
	return false
}

// overlaps treats an empty selection as a cursor: it overlaps a span it
// touches.
func overlaps(a, b source.Span) bool {
	return a.Start <= b.End && b.Start <= a.End
}
