package server

import (
	"context"
	"slices"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// lifecycle is where the session is: before initialize, running, or shut
// down and waiting for exit.
type lifecycle uint8

const (
	stateNew lifecycle = iota
	stateRunning
	stateShutdown
)

// Initialize answers the capabilities and reads the client's settings from
// initializationOptions.
func (s *Server) Initialize(ctx context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	hoverKind := protocol.Markdown
	if td := params.Capabilities.TextDocument; td != nil && td.Hover != nil && len(td.Hover.ContentFormat) > 0 &&
		!slices.Contains(td.Hover.ContentFormat, protocol.Markdown) {
		hoverKind = protocol.PlainText // eglot without markdown-mode
	}
	var st settings
	var problems []string
	if params.InitializationOptions != nil {
		raw, err := json.Marshal(params.InitializationOptions)
		if err == nil {
			st, problems = parseSettings(raw)
		}
	}
	s.mu.Lock()
	s.state = stateRunning
	s.hoverKind = hoverKind
	s.applySettingsLocked(st)
	s.mu.Unlock()
	for _, p := range problems {
		s.showLog(protocol.MessageTypeWarning, p)
	}
	client := "unknown client"
	if params.ClientInfo != nil {
		client = params.ClientInfo.Name + " " + params.ClientInfo.Version
	}
	s.log.Info("initialize", zap.String("client", client), zap.String("hover", string(hoverKind)))

	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.TextDocumentSyncKindIncremental,
				Save:      &protocol.SaveOptions{},
			},
			HoverProvider:          true,
			CodeActionProvider:     &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix}},
			DefinitionProvider:     true,
			DocumentSymbolProvider: true,
			CompletionProvider:     &protocol.CompletionOptions{TriggerCharacters: []string{":", "\""}},
		},
		ServerInfo: &protocol.ServerInfo{Name: "iamlens", Version: s.version},
	}, nil
}

// Shutdown stops admitting requests; the session ends at exit.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	s.log.Info("shutdown")
	return nil
}

// exit ends the session: exit code 0 after shutdown, 1 without.
func (s *Server) exit() {
	s.mu.Lock()
	shutdown := s.state == stateShutdown
	s.mu.Unlock()
	s.log.Info("exit", zap.Bool("after shutdown", shutdown))
	s.conn.Close()
}
