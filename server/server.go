// Package server is the iamlens language server: it keeps the open documents,
// runs analysis.Analyze off the request goroutine, publishes diagnostics, and
// answers hovers, code actions, definitions, symbols and completions from the
// stored results. It converts between byte spans and LSP positions in one
// place (mapper.go); the analysis knows nothing of LSP.
//
// One file per LSP concern: lifecycle.go, text_sync.go, diagnostics.go,
// hover.go, code_action.go, definition.go, symbols.go, completion.go,
// configuration.go. router.go decodes, recovers and dispatches.
package server

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/iamlens/iamlens/analysis"
)

// DefaultDebounce is how long the server waits after the last change before
// analysing a document.
const DefaultDebounce = 50 * time.Millisecond

// RuleDocsURL is where each rule is documented: the README section named
// by the rule id. Diagnostics link to RuleDocsURL + "#" + rule id.
const RuleDocsURL = "https://github.com/iamlens/iamlens"

// diagnosticSource is the Diagnostic.source of every diagnostic.
const diagnosticSource = "iamlens"

// Options configure a Server.
type Options struct {
	// Version is reported in serverInfo.
	Version string
	// Logger receives the server's log; nil means no logging. It never
	// writes to stdout: stdout carries JSON-RPC only.
	Logger *zap.Logger
	// Debounce is the quiet time after a change before analysis; 0 analyses
	// at once. The client's "debounceMs" setting overrides it.
	Debounce time.Duration
	// Analyze replaces analysis.Analyze (tests count or slow down analyses).
	Analyze func(path string, text []byte, opts analysis.Options) *analysis.Result
}

// Server is one language-server session over one connection.
type Server struct {
	fallback

	version string
	log     *zap.Logger
	analyze func(path string, text []byte, opts analysis.Options) *analysis.Result

	// ctx lives as long as the session: publishing and analysis use it,
	// never a request's context.
	ctx     context.Context
	cancel  context.CancelFunc
	workers sync.WaitGroup

	conn   jsonrpc2.Conn
	client protocol.Client

	mu        sync.Mutex
	state     lifecycle
	docs      map[string]*document
	settings  settings
	debounce  time.Duration
	hoverKind protocol.MarkupKind
	configs   configCache
}

// New makes a server for one session.
func New(opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	an := opts.Analyze
	if an == nil {
		an = analysis.Analyze
	}
	s := &Server{
		version:   opts.Version,
		log:       log,
		analyze:   an,
		docs:      map[string]*document{},
		debounce:  opts.Debounce,
		hoverKind: protocol.Markdown,
	}
	s.configs.entries = map[string]configEntry{}
	s.configs.reported = map[string]bool{}
	return s
}

// Serve runs the session over rwc until the client sends exit or closes the
// stream, and returns the process exit code: 0 when shutdown came before
// the end, 1 otherwise. It waits for every analysis it started.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	s.ctx, s.cancel = context.WithCancel(ctx)
	defer s.cancel()
	s.conn = jsonrpc2.NewConn(newStream(rwc, s.log))
	s.client = protocol.ClientDispatcher(s.conn, s.log.Named("client"))
	s.conn.Go(s.ctx, s.handler())
	select {
	case <-s.conn.Done():
	case <-s.ctx.Done():
		s.conn.Close()
		// A blocking read of stdin is not interrupted by Close: do not wait
		// for it forever when the process is being stopped.
		select {
		case <-s.conn.Done():
		case <-time.After(time.Second):
		}
	}
	if err := s.conn.Err(); err != nil && !isClosing(err) {
		s.log.Info("connection ended", zap.Error(err))
	}
	s.cancel()
	s.workers.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateShutdown {
		return 0
	}
	return 1
}

// isClosing reports errors that just mean the other side went away.
func isClosing(err error) bool {
	if err == nil {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"EOF", "closed pipe", "use of closed", "file already closed", "broken pipe"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
