package server

import (
	"context"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// fallback answers every protocol.Server method with MethodNotFound.
// protocol.Server has no stub of its own; Server embeds this and the router
// sends every method it does not implement here, through
// protocol.ServerHandler, so an unimplemented request gets a proper error and
// an unimplemented notification is dropped.
type fallback struct{}

var _ protocol.Server = fallback{}

func notFound(method string) error {
	return fmt.Errorf("%s: %w", method, jsonrpc2.ErrMethodNotFound)
}

func (fallback) Initialize(_ context.Context, _ *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	return nil, notFound("Initialize")
}

func (fallback) Initialized(_ context.Context, _ *protocol.InitializedParams) error {
	return notFound("Initialized")
}

func (fallback) Shutdown(_ context.Context) error { return notFound("Shutdown") }

func (fallback) Exit(_ context.Context) error { return notFound("Exit") }

func (fallback) WorkDoneProgressCancel(_ context.Context, _ *protocol.WorkDoneProgressCancelParams) error {
	return notFound("WorkDoneProgressCancel")
}

func (fallback) LogTrace(_ context.Context, _ *protocol.LogTraceParams) error {
	return notFound("LogTrace")
}

func (fallback) SetTrace(_ context.Context, _ *protocol.SetTraceParams) error {
	return notFound("SetTrace")
}

func (fallback) CodeAction(_ context.Context, _ *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	return nil, notFound("CodeAction")
}

func (fallback) CodeLens(_ context.Context, _ *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	return nil, notFound("CodeLens")
}

func (fallback) CodeLensResolve(_ context.Context, _ *protocol.CodeLens) (*protocol.CodeLens, error) {
	return nil, notFound("CodeLensResolve")
}

func (fallback) ColorPresentation(_ context.Context, _ *protocol.ColorPresentationParams) ([]protocol.ColorPresentation, error) {
	return nil, notFound("ColorPresentation")
}

func (fallback) Completion(_ context.Context, _ *protocol.CompletionParams) (*protocol.CompletionList, error) {
	return nil, notFound("Completion")
}

func (fallback) CompletionResolve(_ context.Context, _ *protocol.CompletionItem) (*protocol.CompletionItem, error) {
	return nil, notFound("CompletionResolve")
}

func (fallback) Declaration(_ context.Context, _ *protocol.DeclarationParams) ([]protocol.Location, error) {
	return nil, notFound("Declaration")
}

func (fallback) Definition(_ context.Context, _ *protocol.DefinitionParams) ([]protocol.Location, error) {
	return nil, notFound("Definition")
}

func (fallback) DidChange(_ context.Context, _ *protocol.DidChangeTextDocumentParams) error {
	return notFound("DidChange")
}

func (fallback) DidChangeConfiguration(_ context.Context, _ *protocol.DidChangeConfigurationParams) error {
	return notFound("DidChangeConfiguration")
}

func (fallback) DidChangeWatchedFiles(_ context.Context, _ *protocol.DidChangeWatchedFilesParams) error {
	return notFound("DidChangeWatchedFiles")
}

func (fallback) DidChangeWorkspaceFolders(_ context.Context, _ *protocol.DidChangeWorkspaceFoldersParams) error {
	return notFound("DidChangeWorkspaceFolders")
}

func (fallback) DidClose(_ context.Context, _ *protocol.DidCloseTextDocumentParams) error {
	return notFound("DidClose")
}

func (fallback) DidOpen(_ context.Context, _ *protocol.DidOpenTextDocumentParams) error {
	return notFound("DidOpen")
}

func (fallback) DidSave(_ context.Context, _ *protocol.DidSaveTextDocumentParams) error {
	return notFound("DidSave")
}

func (fallback) DocumentColor(_ context.Context, _ *protocol.DocumentColorParams) ([]protocol.ColorInformation, error) {
	return nil, notFound("DocumentColor")
}

func (fallback) DocumentHighlight(_ context.Context, _ *protocol.DocumentHighlightParams) ([]protocol.DocumentHighlight, error) {
	return nil, notFound("DocumentHighlight")
}

func (fallback) DocumentLink(_ context.Context, _ *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	return nil, notFound("DocumentLink")
}

func (fallback) DocumentLinkResolve(_ context.Context, _ *protocol.DocumentLink) (*protocol.DocumentLink, error) {
	return nil, notFound("DocumentLinkResolve")
}

func (fallback) DocumentSymbol(_ context.Context, _ *protocol.DocumentSymbolParams) ([]interface{}, error) {
	return nil, notFound("DocumentSymbol")
}

func (fallback) ExecuteCommand(_ context.Context, _ *protocol.ExecuteCommandParams) (interface{}, error) {
	return nil, notFound("ExecuteCommand")
}

func (fallback) FoldingRanges(_ context.Context, _ *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	return nil, notFound("FoldingRanges")
}

func (fallback) Formatting(_ context.Context, _ *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	return nil, notFound("Formatting")
}

func (fallback) Hover(_ context.Context, _ *protocol.HoverParams) (*protocol.Hover, error) {
	return nil, notFound("Hover")
}

func (fallback) Implementation(_ context.Context, _ *protocol.ImplementationParams) ([]protocol.Location, error) {
	return nil, notFound("Implementation")
}

func (fallback) OnTypeFormatting(_ context.Context, _ *protocol.DocumentOnTypeFormattingParams) ([]protocol.TextEdit, error) {
	return nil, notFound("OnTypeFormatting")
}

func (fallback) PrepareRename(_ context.Context, _ *protocol.PrepareRenameParams) (*protocol.Range, error) {
	return nil, notFound("PrepareRename")
}

func (fallback) RangeFormatting(_ context.Context, _ *protocol.DocumentRangeFormattingParams) ([]protocol.TextEdit, error) {
	return nil, notFound("RangeFormatting")
}

func (fallback) References(_ context.Context, _ *protocol.ReferenceParams) ([]protocol.Location, error) {
	return nil, notFound("References")
}

func (fallback) Rename(_ context.Context, _ *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	return nil, notFound("Rename")
}

func (fallback) SignatureHelp(_ context.Context, _ *protocol.SignatureHelpParams) (*protocol.SignatureHelp, error) {
	return nil, notFound("SignatureHelp")
}

func (fallback) Symbols(_ context.Context, _ *protocol.WorkspaceSymbolParams) ([]protocol.SymbolInformation, error) {
	return nil, notFound("Symbols")
}

func (fallback) TypeDefinition(_ context.Context, _ *protocol.TypeDefinitionParams) ([]protocol.Location, error) {
	return nil, notFound("TypeDefinition")
}

func (fallback) WillSave(_ context.Context, _ *protocol.WillSaveTextDocumentParams) error {
	return notFound("WillSave")
}

func (fallback) WillSaveWaitUntil(_ context.Context, _ *protocol.WillSaveTextDocumentParams) ([]protocol.TextEdit, error) {
	return nil, notFound("WillSaveWaitUntil")
}

func (fallback) ShowDocument(_ context.Context, _ *protocol.ShowDocumentParams) (*protocol.ShowDocumentResult, error) {
	return nil, notFound("ShowDocument")
}

func (fallback) WillCreateFiles(_ context.Context, _ *protocol.CreateFilesParams) (*protocol.WorkspaceEdit, error) {
	return nil, notFound("WillCreateFiles")
}

func (fallback) DidCreateFiles(_ context.Context, _ *protocol.CreateFilesParams) error {
	return notFound("DidCreateFiles")
}

func (fallback) WillRenameFiles(_ context.Context, _ *protocol.RenameFilesParams) (*protocol.WorkspaceEdit, error) {
	return nil, notFound("WillRenameFiles")
}

func (fallback) DidRenameFiles(_ context.Context, _ *protocol.RenameFilesParams) error {
	return notFound("DidRenameFiles")
}

func (fallback) WillDeleteFiles(_ context.Context, _ *protocol.DeleteFilesParams) (*protocol.WorkspaceEdit, error) {
	return nil, notFound("WillDeleteFiles")
}

func (fallback) DidDeleteFiles(_ context.Context, _ *protocol.DeleteFilesParams) error {
	return notFound("DidDeleteFiles")
}

func (fallback) CodeLensRefresh(_ context.Context) error { return notFound("CodeLensRefresh") }

func (fallback) PrepareCallHierarchy(_ context.Context, _ *protocol.CallHierarchyPrepareParams) ([]protocol.CallHierarchyItem, error) {
	return nil, notFound("PrepareCallHierarchy")
}

func (fallback) IncomingCalls(_ context.Context, _ *protocol.CallHierarchyIncomingCallsParams) ([]protocol.CallHierarchyIncomingCall, error) {
	return nil, notFound("IncomingCalls")
}

func (fallback) OutgoingCalls(_ context.Context, _ *protocol.CallHierarchyOutgoingCallsParams) ([]protocol.CallHierarchyOutgoingCall, error) {
	return nil, notFound("OutgoingCalls")
}

func (fallback) SemanticTokensFull(_ context.Context, _ *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	return nil, notFound("SemanticTokensFull")
}

func (fallback) SemanticTokensFullDelta(_ context.Context, _ *protocol.SemanticTokensDeltaParams) (interface{}, error) {
	return nil, notFound("SemanticTokensFullDelta")
}

func (fallback) SemanticTokensRange(_ context.Context, _ *protocol.SemanticTokensRangeParams) (*protocol.SemanticTokens, error) {
	return nil, notFound("SemanticTokensRange")
}

func (fallback) SemanticTokensRefresh(_ context.Context) error {
	return notFound("SemanticTokensRefresh")
}

func (fallback) LinkedEditingRange(_ context.Context, _ *protocol.LinkedEditingRangeParams) (*protocol.LinkedEditingRanges, error) {
	return nil, notFound("LinkedEditingRange")
}

func (fallback) Moniker(_ context.Context, _ *protocol.MonikerParams) ([]protocol.Moniker, error) {
	return nil, notFound("Moniker")
}

func (fallback) Request(_ context.Context, _ string, _ interface{}) (interface{}, error) {
	return nil, notFound("Request")
}
