package server

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// samMismatch grants s3:PutObject on the bucket ARN: the object action can
// never apply there.
const samMismatch = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Uploader:
    Type: AWS::Serverless::Function
    DependsOn: Bucket
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TARGET: !Sub '${Bucket}-${Stage}'
      Policies:
        - Statement:
            - Sid: Upload
              Effect: Allow
              Action:
                - s3:PutObject
              Resource: !GetAtt Bucket.Arn
Outputs:
  BucketName:
    Description: Where uploads go
    Value: !Ref Bucket
`

const mismatchRule = "action-resource-mismatch"

// pos is the position of the n-th byte after the first occurrence of sub.
func pos(t *testing.T, text, sub string, n int) protocol.Position {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in text", sub)
	}
	return utf16Pos(text, i+n)
}

func docID(uri string) protocol.TextDocumentIdentifier {
	return protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(uri)}
}

func findDiag(ds []protocol.Diagnostic, code string) (protocol.Diagnostic, bool) {
	for _, d := range ds {
		if d.Code == code {
			return d, true
		}
	}
	return protocol.Diagnostic{}, false
}

// applyEdits applies LSP text edits (from the end backwards).
func applyEdits(text string, edits []protocol.TextEdit) string {
	sort.Slice(edits, func(i, j int) bool {
		return byteOffset(text, edits[i].Range.Start) > byteOffset(text, edits[j].Range.Start)
	})
	for _, e := range edits {
		a, b := byteOffset(text, e.Range.Start), byteOffset(text, e.Range.End)
		text = text[:a] + e.NewText + text[b:]
	}
	return text
}

func TestDiagnosticHoverCodeActionRoundTrip(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/sam/template.yaml"
	s.open(uri, "yaml", 1, samMismatch)
	pd := s.waitDiags(uri, 1)
	d, ok := findDiag(pd.Diagnostics, mismatchRule)
	if !ok {
		t.Fatalf("no %s diagnostic in %+v", mismatchRule, pd.Diagnostics)
	}
	i := strings.Index(samMismatch, "!GetAtt Bucket.Arn")
	if want := *rangeOf(samMismatch, i, i+len("!GetAtt Bucket.Arn")); d.Range != want {
		t.Errorf("range = %+v, want %+v", d.Range, want)
	}
	if d.Source != "iamlens" || d.CodeDescription == nil || string(d.CodeDescription.Href) != RuleDocsURL+"#"+mismatchRule {
		t.Errorf("source/codeDescription = %q %+v", d.Source, d.CodeDescription)
	}
	if d.Data == nil {
		t.Errorf("diagnostic has no data for code actions")
	}

	var h protocol.Hover
	if err := s.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: docID(uri), Position: pos(t, samMismatch, "s3:PutObject", 4)}}, &h); err != nil {
		t.Fatal(err)
	}
	if h.Contents.Kind != protocol.Markdown || !strings.Contains(h.Contents.Value, "s3:PutObject") || !strings.Contains(h.Contents.Value, "arn:aws:s3:::") {
		t.Errorf("hover on the action = %+v", h)
	}

	var actions []protocol.CodeAction
	if err := s.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: docID(uri), Range: d.Range, Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}},
	}, &actions); err != nil {
		t.Fatal(err)
	}
	if len(actions) == 0 {
		t.Fatal("no code actions for the mismatch")
	}
	var fix *protocol.CodeAction
	for i := range actions {
		a := &actions[i]
		if a.Kind != protocol.QuickFix || a.Edit == nil || len(a.Edit.DocumentChanges) != 0 || len(a.Edit.Changes[protocol.DocumentURI(uri)]) == 0 {
			t.Errorf("code action %q is not a quickfix with changes: %+v", a.Title, a)
		}
		if fix == nil || a.IsPreferred {
			fix = a
		}
	}
	fixed := applyEdits(samMismatch, fix.Edit.Changes[protocol.DocumentURI(uri)])
	s.change(uri, 2, contentChange{Text: &fixed})
	pd = s.waitDiags(uri, 2)
	if _, still := findDiag(pd.Diagnostics, mismatchRule); still {
		t.Errorf("after %q the mismatch remains:\n%s", fix.Title, fixed)
	}

	// Actions for the old version are not offered on the new text.
	var stale []protocol.CodeAction
	if err := s.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: docID(uri), Range: d.Range, Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}},
	}, &stale); err != nil || len(stale) != 0 {
		t.Errorf("stale code action request: %v %+v", err, stale)
	}
}

func TestCodeActionWithoutDataMatchesByRange(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/sam2/template.yaml"
	s.open(uri, "yaml", 1, samMismatch)
	d, ok := findDiag(s.waitDiags(uri, 1).Diagnostics, mismatchRule)
	if !ok {
		t.Skip("rule " + mismatchRule + " not reporting yet")
	}
	d.Data = nil
	var actions []protocol.CodeAction
	if err := s.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: docID(uri), Range: d.Range, Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}},
	}, &actions); err != nil || len(actions) == 0 {
		t.Errorf("code actions without data: %v %+v", err, actions)
	}
	// With only=refactor nothing is offered.
	actions = nil
	if err := s.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: docID(uri), Range: d.Range, Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{d}, Only: []protocol.CodeActionKind{protocol.Refactor}},
	}, &actions); err != nil || len(actions) != 0 {
		t.Errorf("only=refactor: %v %+v", err, actions)
	}
}

func TestHoverPlainTextForEglot(t *testing.T) {
	s := start(t, Options{})
	s.initialize(&protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		Hover: &protocol.HoverTextDocumentClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.PlainText}},
	}}})
	uri := "file:///tmp/eglot/template.yaml"
	s.open(uri, "yaml", 1, samMismatch)
	var h protocol.Hover
	if err := s.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: docID(uri), Position: pos(t, samMismatch, "s3:PutObject", 2)}}, &h); err != nil {
		t.Fatal(err)
	}
	if h.Contents.Kind != protocol.PlainText || strings.Contains(h.Contents.Value, "**") || strings.Contains(h.Contents.Value, "`") {
		t.Errorf("plaintext hover = %+v", h.Contents)
	}
}

func TestDefinition(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/def/template.yaml"
	s.open(uri, "yaml", 1, samMismatch)
	bucketKey := *rangeOf(samMismatch, strings.Index(samMismatch, "Bucket:\n"), strings.Index(samMismatch, "Bucket:\n")+len("Bucket"))
	stageKey := *rangeOf(samMismatch, strings.Index(samMismatch, "Stage:"), strings.Index(samMismatch, "Stage:")+len("Stage"))
	cases := []struct {
		name string
		at   protocol.Position
		want protocol.Range
	}{
		{"GetAtt", pos(t, samMismatch, "!GetAtt Bucket.Arn", 10), bucketKey},
		{"Ref", pos(t, samMismatch, "!Ref Bucket", 6), bucketKey},
		{"Sub resource", pos(t, samMismatch, "${Bucket}", 3), bucketKey},
		{"Sub parameter", pos(t, samMismatch, "${Stage}", 4), stageKey},
		{"DependsOn", pos(t, samMismatch, "DependsOn: Bucket", 12), bucketKey},
	}
	for _, c := range cases {
		var locs []protocol.Location
		if err := s.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: docID(uri), Position: c.at}}, &locs); err != nil {
			t.Fatal(err)
		}
		if len(locs) != 1 || locs[0].Range != c.want || string(locs[0].URI) != uri {
			t.Errorf("%s: definition = %+v, want %+v", c.name, locs, c.want)
		}
	}
}

func TestDocumentSymbols(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	uri := "file:///tmp/sym/template.yaml"
	s.open(uri, "yaml", 1, samMismatch)
	var syms []protocol.DocumentSymbol
	if err := s.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: docID(uri)}, &syms); err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(prefix string, ss []protocol.DocumentSymbol)
	walk = func(prefix string, ss []protocol.DocumentSymbol) {
		for _, x := range ss {
			got = append(got, prefix+x.Name+" "+x.Detail)
			walk(prefix+"  ", x.Children)
		}
	}
	walk("", syms)
	want := []string{
		"Parameters ", "  Stage String",
		"Resources ", "  Bucket AWS::S3::Bucket", "  Uploader AWS::Serverless::Function", "    Upload Allow s3:PutObject",
		"Outputs ", "  BucketName Where uploads go",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("symbols:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A policy file lists its statements.
	s.open("file:///tmp/sym/policy.json", "json", 1, policyMB)
	syms = nil
	if err := s.call(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: docID("file:///tmp/sym/policy.json")}, &syms); err != nil {
		t.Fatal(err)
	}
	if len(syms) != 2 || syms[0].Name != "写入😀" || syms[1].Name != "Liste" {
		t.Errorf("policy symbols = %+v", syms)
	}
}

func TestCompletion(t *testing.T) {
	s := start(t, Options{})
	s.initialize(nil)
	cases := []struct {
		name, uri, lang, text, at string
		wantLabel, wantNew        string
	}{
		{"json string", "file:///c/p.json", "json", `{"Statement":[{"Effect":"Allow","Action":["s3:GetObj"],"Resource":"*"}]}`, `s3:GetObj`, "s3:GetObject", "s3:GetObject"},
		{"json broken", "file:///c/q.json", "json", `{"Statement":[{"Effect":"Allow","Action":["s3:PutObj`, `s3:PutObj`, "s3:PutObject", "s3:PutObject"},
		{"yaml item", "file:///c/t.yaml", "yaml", "Statement:\n  - Effect: Allow\n    Action:\n      - s3:ListB\n", "s3:ListB", "s3:ListBucket", "s3:ListBucket"},
		{"yaml empty item", "file:///c/u.yaml", "yaml", "Statement:\n  - Effect: Allow\n    Action:\n      - s3:GetObject\n      - \n", "      - \n", "s3:", "s3:"},
	}
	for _, c := range cases {
		s.open(c.uri, c.lang, 1, c.text)
		at := strings.Index(c.text, c.at) + len(c.at)
		if c.name == "yaml empty item" {
			at = strings.LastIndex(c.text, "- ") + 2
		}
		var list protocol.CompletionList
		if err := s.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: docID(c.uri), Position: utf16Pos(c.text, at)}}, &list); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range list.Items {
			if it.Label == c.wantLabel {
				found = true
				if it.TextEdit == nil || it.TextEdit.NewText != c.wantNew {
					t.Errorf("%s: item %s edit = %+v", c.name, it.Label, it.TextEdit)
				}
				if it.TextEdit != nil && byteOffset(c.text, it.TextEdit.Range.End) != at {
					t.Errorf("%s: edit does not end at the cursor: %+v", c.name, it.TextEdit.Range)
				}
			}
		}
		if !found {
			t.Errorf("%s: %s not proposed (%d items)", c.name, c.wantLabel, len(list.Items))
		}
	}
	// Not in an Action list: nothing.
	s.open("file:///c/r.json", "json", 1, `{"Statement":[{"Effect":"Allow","Resource":"s3:Get"}]}`)
	var list *protocol.CompletionList
	if err := s.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: docID("file:///c/r.json"), Position: protocol.Position{Line: 0, Character: 50}}}, &list); err != nil {
		t.Fatal(err)
	}
	if list != nil && len(list.Items) > 0 {
		t.Errorf("completion outside Action: %d items", len(list.Items))
	}
}

func TestConfiguration(t *testing.T) {
	s := start(t, Options{})
	off := map[string]any{"iamlens": map[string]any{"rules": map[string]any{mismatchRule: "off"}}}
	s.initialize(&protocol.InitializeParams{InitializationOptions: off})
	uri := "file:///tmp/cfg/template.yaml"
	s.open(uri, "yaml", 1, samMismatch)
	if _, ok := findDiag(s.waitDiags(uri, 1).Diagnostics, mismatchRule); ok {
		t.Errorf("rule turned off in initializationOptions still reports")
	}
	// Settings with the wrapper: the rule comes back, as a warning.
	n := s.publishCount(uri)
	s.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"iamlens": map[string]any{"rules": map[string]any{mismatchRule: "warning"}}}})
	d := s.waitPublishAfter(uri, n)
	if got, ok := findDiag(d.Diagnostics, mismatchRule); !ok || got.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("after didChangeConfiguration: %+v", d.Diagnostics)
	}
	// Without the wrapper.
	n = s.publishCount(uri)
	s.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"rules": map[string]any{mismatchRule: "off"}}})
	if _, ok := findDiag(s.waitPublishAfter(uri, n).Diagnostics, mismatchRule); ok {
		t.Errorf("settings without the iamlens wrapper were not applied")
	}
	// A bad severity is reported to the user.
	s.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"iamlens": map[string]any{"rules": map[string]any{mismatchRule: "loud"}}}})
	s.waitLog(func(l protocol.LogMessageParams) bool { return strings.Contains(l.Message, "loud") })
}

func TestProjectConfigFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".iamlens.yaml"), []byte("rules:\n  "+mismatchRule+": hint\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, ".iamlens.yaml"), []byte("rules: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, Options{})
	s.initialize(nil)
	uri := string(protocol.DocumentURI("file://" + filepath.ToSlash(filepath.Join(dir, "template.yaml"))))
	s.open(uri, "yaml", 1, samMismatch)
	if d, ok := findDiag(s.waitDiags(uri, 1).Diagnostics, mismatchRule); !ok || d.Severity != protocol.DiagnosticSeverityHint {
		t.Errorf(".iamlens.yaml severity not applied: %+v", d)
	}
	badURI := "file://" + filepath.ToSlash(filepath.Join(bad, "template.yaml"))
	s.open(badURI, "yaml", 1, samMismatch)
	s.waitDiags(badURI, 1)
	s.waitLog(func(l protocol.LogMessageParams) bool { return strings.Contains(l.Message, ".iamlens.yaml") })
}

// waitPublishAfter waits for a publish beyond the first n of uri.
func (s *session) waitPublishAfter(uri string, n int) protocol.PublishDiagnosticsParams {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	deadline := timeNow().Add(tenSeconds)
	for len(s.diags[uri]) <= n {
		if timeNow().After(deadline) {
			s.t.Fatalf("no new publish for %s", uri)
		}
		s.waitLocked(deadline)
	}
	return s.diags[uri][len(s.diags[uri])-1]
}
