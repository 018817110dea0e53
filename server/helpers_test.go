package server

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/iamlens/iamlens/analysis"
)

// session is a client talking to an in-process server over net.Pipe with
// the real jsonrpc2 wiring on both ends.
type session struct {
	t      testing.TB
	srv    *Server
	conn   jsonrpc2.Conn
	server protocol.Server // typed calls
	done   chan int        // the server's exit code

	mu    sync.Mutex
	cond  *sync.Cond
	diags map[string][]protocol.PublishDiagnosticsParams
	logs  []protocol.LogMessageParams
}

// testLogger logs to the test, or discards when the run is quiet.
func testLogger(t testing.TB) *zap.Logger {
	if os.Getenv("IAMLENS_TEST_LOG") == "" {
		return zap.NewNop()
	}
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(testWriter{t}), zap.DebugLevel))
}

// testWriter sends log lines to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// start runs a server with no debounce and connects a client to it.
func start(t testing.TB, opts Options) *session {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	a, b := net.Pipe()
	s := &session{t: t, srv: New(opts), done: make(chan int, 1), diags: map[string][]protocol.PublishDiagnosticsParams{}}
	s.cond = sync.NewCond(&s.mu)
	go func() { s.done <- s.srv.Serve(context.Background(), a) }()
	s.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(b))
	s.conn.Go(context.Background(), s.handle)
	s.server = protocol.ServerDispatcher(s.conn, zap.NewNop())
	t.Cleanup(func() {
		s.conn.Close()
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			t.Errorf("server did not stop after the client closed the connection")
		}
	})
	return s
}

// handle receives the server's notifications.
func (s *session) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p protocol.PublishDiagnosticsParams
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			s.t.Errorf("bad publishDiagnostics: %v", err)
		}
		if p.Diagnostics == nil {
			s.t.Errorf("publishDiagnostics for %s has a null list", p.URI)
		}
		s.diags[string(p.URI)] = append(s.diags[string(p.URI)], p)
	case protocol.MethodWindowLogMessage:
		var p protocol.LogMessageParams
		_ = json.Unmarshal(req.Params(), &p)
		s.logs = append(s.logs, p)
	}
	s.cond.Broadcast()
	return reply(ctx, nil, nil)
}

// initialize sends initialize and initialized.
func (s *session) initialize(params *protocol.InitializeParams) *protocol.InitializeResult {
	s.t.Helper()
	if params == nil {
		params = &protocol.InitializeParams{}
	}
	res, err := s.server.Initialize(context.Background(), params)
	if err != nil {
		s.t.Fatalf("initialize: %v", err)
	}
	if err := s.conn.Notify(context.Background(), protocol.MethodInitialized, struct{}{}); err != nil {
		s.t.Fatalf("initialized: %v", err)
	}
	return res
}

func (s *session) notify(method string, params any) {
	s.t.Helper()
	if err := s.conn.Notify(context.Background(), method, params); err != nil {
		s.t.Fatalf("%s: %v", method, err)
	}
}

// call sends a request and decodes its result.
func (s *session) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.conn.Call(ctx, method, params, result)
	return err
}

func (s *session) open(uri, lang string, version int32, text string) {
	s.t.Helper()
	s.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: protocol.DocumentURI(uri), LanguageID: protocol.LanguageIdentifier(lang), Version: version, Text: text,
	}})
}

// change sends a didChange; a nil range is a full-text change.
func (s *session) change(uri string, version int32, changes ...contentChange) {
	s.t.Helper()
	s.notify(protocol.MethodTextDocumentDidChange, &didChangeParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}, Version: version},
		ContentChanges: changes,
	})
}

func edit(r *protocol.Range, text string) contentChange { return contentChange{Range: r, Text: &text} }

// waitDiags waits for diagnostics of uri published for version.
func (s *session) waitDiags(uri string, version int32) protocol.PublishDiagnosticsParams {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		list := s.diags[uri]
		for i := len(list) - 1; i >= 0; i-- {
			if list[i].Version == uint32(version) {
				return list[i]
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no diagnostics for %s version %d (got %d publishes)", uri, version, len(list))
		}
		s.waitLocked(deadline)
	}
}

// waitLogs waits for a window/logMessage satisfying ok.
func (s *session) waitLog(ok func(protocol.LogMessageParams) bool) protocol.LogMessageParams {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for _, l := range s.logs {
			if ok(l) {
				return l
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no matching window/logMessage among %v", s.logs)
		}
		s.waitLocked(deadline)
	}
}

// waitLocked waits for the next notification or the deadline.
func (s *session) waitLocked(deadline time.Time) {
	timer := time.AfterFunc(time.Until(deadline), func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	s.cond.Wait()
	timer.Stop()
}

func (s *session) publishCount(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.diags[uri])
}

// rpcCode is the JSON-RPC error code of a call's error.
func rpcCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// expectedDiagnostics analyses text from scratch and converts positions
// with an independent UTF-16 count, to check the server's incremental path.
func expectedDiagnostics(t testing.TB, path, text string) []protocol.Diagnostic {
	t.Helper()
	res := analysis.Analyze(path, []byte(text), analysis.Options{})
	out := []protocol.Diagnostic{}
	for _, f := range res.Findings {
		out = append(out, protocol.Diagnostic{
			Range:   protocol.Range{Start: utf16Pos(text, f.Span.Start), End: utf16Pos(text, f.Span.End)},
			Code:    f.Rule,
			Message: f.Message,
		})
	}
	return out
}

// utf16Pos counts lines and UTF-16 units up to a byte offset, the slow way.
func utf16Pos(text string, offset int) protocol.Position {
	line, col := 0, 0
	for i, r := range text {
		if i >= offset {
			break
		}
		if r == '\n' {
			line, col = line+1, 0
			continue
		}
		col += len(utf16.Encode([]rune{r}))
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// byteOffset is utf16Pos's inverse, the slow way.
func byteOffset(text string, p protocol.Position) int {
	line, col := 0, 0
	for i, r := range text {
		if int(p.Line) == line && col >= int(p.Character) {
			return i
		}
		if r == '\n' {
			if int(p.Line) == line {
				return i
			}
			line, col = line+1, 0
			continue
		}
		if int(p.Line) == line {
			col += len(utf16.Encode([]rune{r}))
		}
	}
	return len(text)
}

// summary reduces diagnostics to what the from-scratch comparison checks.
func summary(ds []protocol.Diagnostic) []protocol.Diagnostic {
	out := []protocol.Diagnostic{}
	for _, d := range ds {
		out = append(out, protocol.Diagnostic{Range: d.Range, Code: d.Code, Message: d.Message})
	}
	return out
}

// findCorpus walks up from the test directory to a sibling "shared" folder.
func findCorpus(t testing.TB) string {
	dir, _ := os.Getwd()
	for {
		c := filepath.Join(dir, "shared", "corpus")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no shared/corpus folder above the test directory")
		}
		dir = parent
	}
}

type (
	analysisOptions = analysis.Options
	analysisResult  = analysis.Result
)

var timeNow = time.Now

const tenSeconds = 10 * time.Second
