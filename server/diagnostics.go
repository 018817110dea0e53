package server

import (
	"fmt"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/diag"
)

// analyzed is the analysis of one snapshot.
type analyzed struct {
	snap *snapshot
	res  *analysis.Result // nil when the analysis failed
}

// diagnosticData travels in Diagnostic.data so that a codeAction request
// names the stored finding it is about: the document version it was
// published for and the finding's index in that result.
type diagnosticData struct {
	Version int32  `json:"version"`
	Index   int    `json:"index"`
	Rule    string `json:"rule"`
}

// scheduleLocked marks a document changed and makes sure a worker will
// analyse it. Called with s.mu held.
func (s *Server) scheduleLocked(d *document) {
	d.dirty = true
	if d.working {
		select {
		case d.wake <- struct{}{}:
		default:
		}
		return
	}
	if s.ctx == nil || s.ctx.Err() != nil {
		return
	}
	d.working = true
	s.workers.Add(1)
	go s.work(d)
}

// work is a document's worker: it waits for a quiet period, analyses the
// latest snapshot, publishes if that snapshot is still current, and loops
// while changes keep coming. Analyses of one document never overlap, and a
// newer change supersedes an older one before it is analysed.
func (s *Server) work(d *document) {
	defer s.workers.Done()
	for {
		if !s.quiet(d) {
			s.mu.Lock()
			d.working = false
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		if !d.dirty || d.closed {
			d.working = false
			s.mu.Unlock()
			return
		}
		d.dirty = false
		snap, prev := d.snap, d.result
		s.mu.Unlock()

		a := prev
		if a == nil || a.snap != snap {
			a = s.analysisOf(d, snap)
			s.store(d, a)
		}
		s.publish(d, a)
	}
}

// quiet waits until no change has come for the debounce time. It returns
// false when the session ends.
func (s *Server) quiet(d *document) bool {
	s.mu.Lock()
	wait := s.debounce
	s.mu.Unlock()
	if wait <= 0 {
		select {
		case <-d.wake: // a change already counted by dirty
		default:
		}
		return s.ctx.Err() == nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-d.wake:
			t.Reset(wait)
		case <-t.C:
			return true
		case <-s.ctx.Done():
			return false
		}
	}
}

// analyzeSnapshot runs the analysis. A panic in the analysis is logged and
// yields no result rather than ending the process.
func (s *Server) analyzeSnapshot(d *document, snap *snapshot) (a *analyzed) {
	a = &analyzed{snap: snap}
	opts := s.analysisOptions(d)
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("analysis panicked", zap.String("uri", d.uri), zap.Int32("version", snap.version), zap.Any("panic", p))
			s.showLog(protocol.MessageTypeError, fmt.Sprintf("iamlens could not analyse %s (internal error: %v); please report it.", d.uri, p))
			a.res = nil
		}
	}()
	start := time.Now()
	a.res = s.analyze(d.path, snap.text, opts)
	snap.adoptLines(a.res)
	s.log.Debug("analysed", zap.String("uri", d.uri), zap.Int32("version", snap.version), zap.Duration("took", time.Since(start)))
	return a
}

// store keeps an analysis when its snapshot is still the document's current one.
func (s *Server) store(d *document, a *analyzed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.snap == a.snap {
		d.result = a
	}
}

// current returns the document and the analysis of its current snapshot,
// analysing it now when the worker has not yet: hovers and completions must
// see the text the user sees.
func (s *Server) current(uri string) (*document, *analyzed) {
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil {
		s.mu.Unlock()
		return nil, nil
	}
	snap, a := d.snap, d.result
	s.mu.Unlock()
	if a != nil && a.snap == snap {
		return d, a
	}
	if !d.analysable() {
		return d, &analyzed{snap: snap}
	}
	a = s.analysisOf(d, snap)
	s.store(d, a)
	return d, a
}

// analysisOf analyses a snapshot once, however many ask: a hover arriving
// while the worker analyses the same text waits for that run.
func (s *Server) analysisOf(d *document, snap *snapshot) *analyzed {
	snap.analysisOnce.Do(func() { snap.analysis = s.analyzeSnapshot(d, snap) })
	return snap.analysis
}

// publish sends the diagnostics of an analysis if its snapshot is still
// current and the document still open.
func (s *Server) publish(d *document, a *analyzed) {
	diags := s.diagnostics(protocol.DocumentURI(d.uri), a)
	d.pubMu.Lock()
	defer d.pubMu.Unlock()
	s.mu.Lock()
	current := !d.closed && d.snap == a.snap
	s.mu.Unlock()
	if !current {
		return
	}
	err := s.client.PublishDiagnostics(s.ctx, &protocol.PublishDiagnosticsParams{
		URI:         protocol.DocumentURI(d.uri),
		Version:     uint32(max(a.snap.version, 0)),
		Diagnostics: diags,
	})
	if err != nil {
		s.log.Debug("publish failed", zap.String("uri", d.uri), zap.Error(err))
	}
}

// diagnostics converts an analysis's findings; never nil.
func (s *Server) diagnostics(uri protocol.DocumentURI, a *analyzed) []protocol.Diagnostic {
	out := []protocol.Diagnostic{}
	if a == nil || a.res == nil {
		return out
	}
	for i := range a.res.Findings {
		if a.res.Findings[i].Severity == diag.SeverityOff {
			continue
		}
		out = append(out, toDiagnostic(uri, a, i))
	}
	return out
}

// toDiagnostic converts finding i of an analysis.
func toDiagnostic(uri protocol.DocumentURI, a *analyzed, i int) protocol.Diagnostic {
	f := &a.res.Findings[i]
	m := a.snap.mapper()
	d := protocol.Diagnostic{
		Range:           m.rng(f.Span),
		Severity:        protocol.DiagnosticSeverity(f.Severity),
		Code:            f.Rule,
		CodeDescription: &protocol.CodeDescription{Href: protocol.URI(RuleDocsURL + "#" + f.Rule)},
		Source:          diagnosticSource,
		Message:         f.Message,
		Data:            diagnosticData{Version: a.snap.version, Index: i, Rule: f.Rule},
	}
	for _, r := range f.Related {
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uri, Range: m.rng(r.Span)},
			Message:  r.Message,
		})
	}
	return d
}
