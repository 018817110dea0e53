package server

import (
	"go.lsp.dev/protocol"

	"github.com/iamlens/iamlens/analysis/source"
)

// mapper converts between the analysis's byte offsets and LSP positions for
// one version of one document. It is the only place the server converts:
// every span that leaves the server and every position that enters it goes
// through a mapper built on source.LineIndex, which counts UTF-16 code units
// (neither Neovim 0.7 nor eglot negotiate another position encoding).
type mapper struct{ lines *source.LineIndex }

func newMapper(text []byte) *mapper { return &mapper{lines: source.NewLineIndex(text)} }

// position converts a byte offset.
func (m *mapper) position(offset int) protocol.Position {
	p := m.lines.Position(offset)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Character)}
}

// rng converts a byte span.
func (m *mapper) rng(sp source.Span) protocol.Range {
	start, end := sp.Start, sp.End
	if end < start {
		end = start
	}
	return protocol.Range{Start: m.position(start), End: m.position(end)}
}

// offset converts an LSP position; positions past a line's end or the
// text's end are clamped, so a client a little out of step cannot make the
// server slice outside the text.
func (m *mapper) offset(p protocol.Position) int {
	return m.lines.Offset(source.Position{Line: clampInt(p.Line), Character: clampInt(p.Character)})
}

// span converts an LSP range, ordering its ends.
func (m *mapper) span(r protocol.Range) source.Span {
	a, b := m.offset(r.Start), m.offset(r.End)
	if b < a {
		a, b = b, a
	}
	return source.Span{Start: a, End: b}
}

func clampInt(v uint32) int {
	const maxInt32 = 1<<31 - 1
	if v > maxInt32 {
		return maxInt32
	}
	return int(v)
}
