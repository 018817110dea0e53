package server

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// routeFunc handles one method: it decodes its params itself, so that a
// wrong shape is an InvalidParams error and not a dropped connection.
type routeFunc func(ctx context.Context, params json.RawMessage) (any, error)

// routes lists the methods the server implements. Everything else goes to
// the fallback (requests get MethodNotFound) or is dropped (notifications).
func (s *Server) routes() map[string]routeFunc {
	return map[string]routeFunc{
		protocol.MethodInitialize:                      call(protocol.MethodInitialize, s.Initialize),
		protocol.MethodInitialized:                     func(context.Context, json.RawMessage) (any, error) { return nil, nil },
		protocol.MethodShutdown:                        func(ctx context.Context, _ json.RawMessage) (any, error) { return nil, s.Shutdown(ctx) },
		protocol.MethodTextDocumentDidOpen:             notify(protocol.MethodTextDocumentDidOpen, s.DidOpen),
		protocol.MethodTextDocumentDidChange:           notify(protocol.MethodTextDocumentDidChange, s.didChange),
		protocol.MethodTextDocumentDidSave:             notify(protocol.MethodTextDocumentDidSave, s.DidSave),
		protocol.MethodTextDocumentDidClose:            notify(protocol.MethodTextDocumentDidClose, s.DidClose),
		protocol.MethodWorkspaceDidChangeConfiguration: notify(protocol.MethodWorkspaceDidChangeConfiguration, s.didChangeConfiguration),
		protocol.MethodTextDocumentHover:               call(protocol.MethodTextDocumentHover, s.Hover),
		protocol.MethodTextDocumentCodeAction:          call(protocol.MethodTextDocumentCodeAction, s.CodeAction),
		protocol.MethodTextDocumentDefinition:          call(protocol.MethodTextDocumentDefinition, s.Definition),
		protocol.MethodTextDocumentDocumentSymbol:      call(protocol.MethodTextDocumentDocumentSymbol, s.DocumentSymbol),
		protocol.MethodTextDocumentCompletion:          call(protocol.MethodTextDocumentCompletion, s.Completion),
	}
}

// call adapts a request handler: decode params, run, return the result.
func call[P, R any](method string, fn func(context.Context, *P) (R, error)) routeFunc {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var p P
		if err := decodeParams(method, raw, &p); err != nil {
			return nil, err
		}
		return fn(ctx, &p)
	}
}

// notify adapts a notification handler.
func notify[P any](method string, fn func(context.Context, *P) error) routeFunc {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var p P
		if err := decodeParams(method, raw, &p); err != nil {
			return nil, err
		}
		return nil, fn(ctx, &p)
	}
}

func decodeParams(method string, raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: missing params", method)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: invalid params: %v", method, err)
	}
	return nil
}

// handler is the connection's jsonrpc2.Handler. Requests are handled one at
// a time, in order, on the connection's read goroutine; handlers are short
// because analysis runs elsewhere (diagnostics.go).
func (s *Server) handler() jsonrpc2.Handler {
	routes := s.routes()
	rest := protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler)
	return func(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
		s.dispatch(ctx, reply, req, routes, rest)
		// Returning an error would make the Conn close the connection: a
		// bad message must never end the session.
		return nil
	}
}

// dispatch runs one message. A panic is recovered, logged and answered
// with InternalError; every request gets exactly one reply.
func (s *Server) dispatch(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request, routes map[string]routeFunc, rest jsonrpc2.Handler) {
	method := req.Method()
	_, isCall := req.(*jsonrpc2.Call)
	replied := false
	answer := func(ctx context.Context, result any, err error) error {
		if !isCall || replied {
			return nil
		}
		replied = true
		if err := reply(ctx, result, err); err != nil {
			s.log.Debug("reply failed", zap.String("method", method), zap.Error(err))
		}
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("handler panicked", zap.String("method", method), zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))
			answer(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "iamlens: internal error handling %s: %v", method, p))
		}
		if isCall && !replied {
			answer(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "iamlens: %s was not answered", method))
		}
	}()

	if err := s.admit(method, isCall); err != nil {
		answer(ctx, nil, err)
		return
	}
	if method == protocol.MethodExit {
		s.exit()
		return
	}
	route, ok := routes[method]
	if !ok {
		if isCall {
			rest(ctx, answer, req)
		}
		return // unknown or unimplemented notifications are ignored
	}
	result, err := route(ctx, req.Params())
	if err != nil && !isCall {
		s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
	}
	answer(ctx, result, err)
}

// admit applies the lifecycle: nothing but initialize (and exit) before
// initialize, nothing but exit after shutdown.
func (s *Server) admit(method string, isCall bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case stateNew:
		if method == protocol.MethodInitialize || method == protocol.MethodExit {
			return nil
		}
		if isCall {
			return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, fmt.Sprintf("iamlens: %s before initialize", method))
		}
		return errDropped
	case stateShutdown:
		if method == protocol.MethodExit {
			return nil
		}
		if isCall {
			return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "iamlens: %s after shutdown", method)
		}
		return errDropped
	}
	if method == protocol.MethodInitialize {
		return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "iamlens: initialize sent twice")
	}
	return nil
}

// errDropped marks a notification the lifecycle does not admit; it is
// never sent (notifications have no reply).
var errDropped = jsonrpc2.NewError(jsonrpc2.InvalidRequest, "dropped")
