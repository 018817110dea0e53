package server

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/iamlens/iamlens/analysis"
)

// document is one open text document, keyed by its URI string (so that
// `untitled:` buffers work: DocumentURI.Filename panics on them).
type document struct {
	uri  string
	path string // the file's path for file: URIs, else the URI itself
	dir  string // the file's directory for file: URIs, "" otherwise
	lang string

	// Guarded by Server.mu.
	snap    *snapshot
	result  *analyzed // the latest analysis, possibly of an older snapshot
	dirty   bool      // snap has changed since the worker last took it
	closed  bool
	working bool // a worker goroutine owns this document

	wake  chan struct{} // a change during the debounce restarts the wait
	pubMu sync.Mutex    // orders publishes, including the empty one at close
}

// snapshot is one version of a document's text. Its text never changes.
type snapshot struct {
	version int32
	text    []byte

	once sync.Once
	m    *mapper

	// Each snapshot is analysed once: the worker and a hover that both
	// need it share the run (see Server.analysisOf).
	analysisOnce sync.Once
	analysis     *analyzed
}

// mapper returns the snapshot's position mapper, built once.
func (sn *snapshot) mapper() *mapper {
	sn.once.Do(func() {
		if sn.m == nil {
			sn.m = newMapper(sn.text)
		}
	})
	return sn.m
}

// adoptLines reuses the line index the analysis built for the same text, so
// a large document is indexed once per version.
func (sn *snapshot) adoptLines(res *analysis.Result) {
	if res == nil || res.Doc == nil || res.Doc.Lines == nil {
		return
	}
	sn.once.Do(func() { sn.m = &mapper{lines: res.Doc.Lines} })
}

func newDocument(uri, lang string, version int32, text []byte) *document {
	d := &document{uri: uri, path: uri, lang: lang, wake: make(chan struct{}, 1)}
	if u, err := url.Parse(uri); err == nil && u.Scheme == "file" && u.Path != "" {
		d.path = filepath.FromSlash(u.Path)
		d.dir = filepath.Dir(d.path)
	}
	d.snap = &snapshot{version: version, text: text}
	return d
}

// analysable reports whether a document's language is one iamlens reads:
// JSON, YAML, and anything it cannot tell (analysis detects by content, and
// says "unknown" for what it does not recognise).
func (d *document) analysable() bool {
	return !otherLanguages[strings.ToLower(d.lang)]
}

// otherLanguages are language ids that are certainly not policies or templates.
var otherLanguages = map[string]bool{
	"go": true, "python": true, "javascript": true, "typescript": true, "javascriptreact": true,
	"typescriptreact": true, "java": true, "c": true, "cpp": true, "csharp": true, "rust": true,
	"ruby": true, "php": true, "lua": true, "shellscript": true, "sh": true, "bash": true,
	"markdown": true, "html": true, "css": true, "scss": true, "xml": true, "sql": true,
	"dockerfile": true, "makefile": true, "toml": true, "ini": true, "terraform": true, "hcl": true,
	"git-commit": true, "gitcommit": true, "diff": true, "vim": true, "lisp": true, "elisp": true,
	"emacs-lisp": true,
}

// DidOpen starts tracking a document and schedules its analysis.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	d := newDocument(string(td.URI), string(td.LanguageID), td.Version, []byte(td.Text))
	s.mu.Lock()
	if old := s.docs[d.uri]; old != nil {
		old.closed = true // its worker stops; the new document takes over
	}
	s.docs[d.uri] = d
	if d.analysable() {
		s.scheduleLocked(d)
	}
	s.mu.Unlock()
	if isConfigFile(d.path) {
		s.configChanged()
	}
	return nil
}

// didChangeParams is decoded here rather than with protocol's type, whose
// TextDocumentContentChangeEvent.Range is not a pointer: a full-text change
// would look like an insertion at 0:0.
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []contentChange                          `json:"contentChanges"`
}

type contentChange struct {
	Range *protocol.Range `json:"range,omitempty"`
	Text  *string         `json:"text"`
}

// didChange applies the edits in order and schedules analysis. A version
// not newer than the stored one is stale and ignored.
func (s *Server) didChange(ctx context.Context, params *didChangeParams) error {
	uri := string(params.TextDocument.URI)
	version := params.TextDocument.Version
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil {
		s.mu.Unlock()
		return fmt.Errorf("didChange for %s, which is not open", uri)
	}
	cur := d.snap
	s.mu.Unlock()
	if version <= cur.version {
		s.log.Debug("stale didChange ignored", zap.String("uri", uri), zap.Int32("version", version), zap.Int32("current", cur.version))
		return nil
	}
	text, m, err := applyChanges(cur, params.ContentChanges)
	if err != nil {
		return fmt.Errorf("didChange %s version %d: %w", uri, version, err)
	}
	next := &snapshot{version: version, text: text, m: m}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Only this goroutine (the connection's) changes snapshots; the check
	// guards a didOpen racing nothing, but keeps the invariant obvious.
	if d.snap != cur || d.closed {
		return nil
	}
	d.snap = next
	if d.analysable() {
		s.scheduleLocked(d)
	}
	return nil
}

// applyChanges applies content changes to a snapshot's text. A change
// without a range replaces the whole text. It returns the mapper of the
// result when it already has one (never: the caller builds it lazily).
func applyChanges(cur *snapshot, changes []contentChange) ([]byte, *mapper, error) {
	text := cur.text
	m := cur.mapper()
	for i, ch := range changes {
		if ch.Text == nil {
			return nil, nil, fmt.Errorf("change %d has no text", i)
		}
		if ch.Range == nil {
			text, m = []byte(*ch.Text), nil
			continue
		}
		if m == nil {
			m = newMapper(text)
		}
		sp := m.span(*ch.Range)
		next := make([]byte, 0, len(text)-sp.Len()+len(*ch.Text))
		next = append(next, text[:sp.Start]...)
		next = append(next, *ch.Text...)
		next = append(next, text[sp.End:]...)
		text, m = next, nil
	}
	return text, m, nil
}

// DidSave re-reads .iamlens.yaml when it is the file saved.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	s.mu.Lock()
	d := s.docs[string(params.TextDocument.URI)]
	s.mu.Unlock()
	if d != nil && isConfigFile(d.path) {
		s.configChanged()
	}
	return nil
}

// DidClose forgets a document and clears its diagnostics.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	uri := string(params.TextDocument.URI)
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil {
		s.mu.Unlock()
		return nil
	}
	d.closed = true
	delete(s.docs, uri)
	select {
	case d.wake <- struct{}{}:
	default:
	}
	s.mu.Unlock()

	d.pubMu.Lock()
	defer d.pubMu.Unlock()
	return s.client.PublishDiagnostics(s.ctx, &protocol.PublishDiagnosticsParams{
		URI:         protocol.DocumentURI(uri),
		Diagnostics: []protocol.Diagnostic{},
	})
}

func isConfigFile(path string) bool { return filepath.Base(path) == analysis.ConfigFileName }
