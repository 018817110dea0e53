package server

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

func TestInitializeReportsCapabilitiesAndVersion(t *testing.T) {
	s := start(t, Options{Version: "1.2.3"})
	res := s.initialize(nil)
	if res.ServerInfo == nil || res.ServerInfo.Name != "iamlens" || res.ServerInfo.Version != "1.2.3" {
		t.Errorf("serverInfo = %+v, want iamlens 1.2.3", res.ServerInfo)
	}
	raw, _ := json.Marshal(res.Capabilities)
	var caps struct {
		TextDocumentSync struct {
			OpenClose bool `json:"openClose"`
			Change    int  `json:"change"`
		} `json:"textDocumentSync"`
		HoverProvider          bool `json:"hoverProvider"`
		DefinitionProvider     bool `json:"definitionProvider"`
		DocumentSymbolProvider bool `json:"documentSymbolProvider"`
		CodeActionProvider     struct {
			Kinds []string `json:"codeActionKinds"`
		} `json:"codeActionProvider"`
		CompletionProvider *struct{} `json:"completionProvider"`
	}
	if err := json.Unmarshal(raw, &caps); err != nil {
		t.Fatal(err)
	}
	if !caps.TextDocumentSync.OpenClose || caps.TextDocumentSync.Change != 2 || !caps.HoverProvider ||
		!caps.DefinitionProvider || !caps.DocumentSymbolProvider || caps.CompletionProvider == nil ||
		len(caps.CodeActionProvider.Kinds) != 1 || caps.CodeActionProvider.Kinds[0] != "quickfix" {
		t.Errorf("capabilities = %s", raw)
	}
}

func TestRequestsBeforeInitializeAreRefused(t *testing.T) {
	s := start(t, Options{})
	err := s.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{}, nil)
	if rpcCode(err) != jsonrpc2.ServerNotInitialized {
		t.Errorf("hover before initialize: %v, want ServerNotInitialized", err)
	}
	s.initialize(nil)
	err = s.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil)
	if rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: %v, want InvalidRequest", err)
	}
}

func TestUnknownMethodsAndNotifications(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	if err := s.call("iamlens/noSuchMethod", map[string]int{"a": 1}, nil); rpcCode(err) != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request: %v, want MethodNotFound", err)
	}
	// Implemented by the protocol but not by iamlens.
	if err := s.call(protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{}, nil); rpcCode(err) != jsonrpc2.MethodNotFound {
		t.Errorf("formatting: %v, want MethodNotFound", err)
	}
	s.notify("iamlens/noSuchNotification", map[string]int{"a": 1})
	s.notify(protocol.MethodCancelRequest, map[string]int{"id": 7})
	s.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{}})
	// Still serving.
	var syms []protocol.DocumentSymbol
	if err := s.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///nope.json"}}, &syms); err != nil {
		t.Errorf("documentSymbol after unknown notifications: %v", err)
	}
}

func TestShutdownThenExitExitsZero(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	if err := s.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	err := s.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{}, nil)
	if rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("hover after shutdown: %v, want InvalidRequest", err)
	}
	s.notify(protocol.MethodExit, nil)
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("exit code after shutdown = %d, want 0", code)
		}
		s.done <- code
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop on exit")
	}
}

func TestExitWithoutShutdownExitsOne(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	s.notify(protocol.MethodExit, nil)
	select {
	case code := <-s.done:
		if code != 1 {
			t.Errorf("exit code without shutdown = %d, want 1", code)
		}
		s.done <- code
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop on exit")
	}
}

func TestShutdownWithNullParams(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	// eglot and others send "params": null, or {}.
	if err := s.call(protocol.MethodShutdown, json.RawMessage("null"), nil); err != nil {
		t.Errorf("shutdown with null params: %v", err)
	}
}

func TestClosedStreamStopsServer(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	s.open("file:///x.json", "json", 1, `{"Version":"2012-10-17","Statement":[]}`)
	s.conn.Close()
	select {
	case code := <-s.done:
		if code != 1 {
			t.Errorf("exit code at end of input without shutdown = %d, want 1", code)
		}
		s.done <- code
	case <-time.After(5 * time.Second):
		t.Fatal("server did not stop when its input closed")
	}
}

// A panicking handler is answered with an error and the server goes on.
func TestPanicInHandlerIsRecovered(t *testing.T) {
	srv := New(Options{Logger: testLogger(t)})
	srv.state = stateRunning
	routes := map[string]routeFunc{
		"test/panic": func(context.Context, json.RawMessage) (any, error) { panic("boom") },
		"test/ok":    func(context.Context, json.RawMessage) (any, error) { return "fine", nil },
	}
	var got []error
	var results []any
	reply := func(_ context.Context, result any, err error) error {
		got = append(got, err)
		results = append(results, result)
		return nil
	}
	rest := jsonrpc2.MethodNotFoundHandler
	call, _ := jsonrpc2.NewCall(jsonrpc2.NewNumberID(1), "test/panic", nil)
	srv.dispatch(context.Background(), reply, call, routes, rest)
	call2, _ := jsonrpc2.NewCall(jsonrpc2.NewNumberID(2), "test/ok", nil)
	srv.dispatch(context.Background(), reply, call2, routes, rest)
	if len(got) != 2 {
		t.Fatalf("replies = %d, want 2", len(got))
	}
	if rpcCode(got[0]) != jsonrpc2.InternalError {
		t.Errorf("panicking handler replied %v, want InternalError", got[0])
	}
	if got[1] != nil || results[1] != "fine" {
		t.Errorf("next request: %v %v", results[1], got[1])
	}
}

// A panic inside the analysis (off the request goroutine) must not end the
// process; the document simply gets no findings.
func TestPanicInAnalysisIsRecovered(t *testing.T) {
	s := start(t, Options{Analyze: func(string, []byte, analysisOptions) *analysisResult { panic("analysis bug") }})
	s.initialize(nil)
	s.open("file:///p.json", "json", 1, `{}`)
	d := s.waitDiags("file:///p.json", 1)
	if len(d.Diagnostics) != 0 {
		t.Errorf("diagnostics after a failed analysis: %v", d.Diagnostics)
	}
	s.waitLog(func(l protocol.LogMessageParams) bool { return l.Type == protocol.MessageTypeError })
	if err := s.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Errorf("server not serving after an analysis panic: %v", err)
	}
}
