package server

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/encoding/json"
	"go.lsp.dev/protocol"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// buildBinary builds cmd/iamlens once per test run.
func buildBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "iamlens-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "iamlens")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/iamlens/iamlens/cmd/iamlens").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// proc is the real `iamlens serve` over pipes, spoken to with
// Content-Length framing by hand.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	stderr strings.Builder
	nextID int
	notes  []map[string]json.RawMessage // notifications not consumed yet
}

func startProc(t testing.TB, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: exec.Command(buildBinary(t), append([]string{"serve"}, args...)...)}
	p.cmd.Stderr = &p.stderr
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.out = bufio.NewReaderSize(stdout, 1<<20)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

func (p *proc) send(msg map[string]any) {
	p.t.Helper()
	msg["jsonrpc"] = "2.0"
	body, err := json.Marshal(msg)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(p.stdin, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		p.t.Fatalf("write to server: %v (stderr: %s)", err, p.stderr.String())
	}
}

// readMsg reads one framed message from stdout.
func (p *proc) readMsg() map[string]json.RawMessage {
	p.t.Helper()
	n := -1
	for {
		line, err := p.out.ReadString('\n')
		if err != nil {
			p.t.Fatalf("read from server: %v (stderr: %s)", err, p.stderr.String())
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			p.t.Fatalf("server wrote a non-header line to stdout: %q", line)
		}
		if strings.EqualFold(name, "Content-Length") {
			n, _ = strconv.Atoi(strings.TrimSpace(val))
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(p.out, body); err != nil {
		p.t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		p.t.Fatalf("server wrote invalid JSON: %q", body)
	}
	return m
}

// request sends a request and returns its result, keeping notifications
// that arrive meanwhile.
func (p *proc) request(method string, params any, result any) {
	p.t.Helper()
	p.nextID++
	id := p.nextID
	p.send(map[string]any{"id": id, "method": method, "params": params})
	for {
		m := p.readMsg()
		if _, ok := m["method"]; ok {
			p.notes = append(p.notes, m)
			continue
		}
		if string(m["id"]) != strconv.Itoa(id) {
			continue
		}
		if e, ok := m["error"]; ok {
			p.t.Fatalf("%s failed: %s", method, e)
		}
		if result != nil {
			if err := json.Unmarshal(m["result"], result); err != nil {
				p.t.Fatalf("%s result: %v", method, err)
			}
		}
		return
	}
}

// waitDiagnostics returns the publishDiagnostics for uri at version.
func (p *proc) waitDiagnostics(uri string, version int) protocol.PublishDiagnosticsParams {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var m map[string]json.RawMessage
		if len(p.notes) > 0 {
			m, p.notes = p.notes[0], p.notes[1:]
		} else {
			m = p.readMsg()
		}
		if string(m["method"]) != `"textDocument/publishDiagnostics"` {
			continue
		}
		var pd protocol.PublishDiagnosticsParams
		if err := json.Unmarshal(m["params"], &pd); err != nil {
			p.t.Fatal(err)
		}
		if string(pd.URI) == uri && int(pd.Version) == version {
			return pd
		}
	}
	p.t.Fatalf("no diagnostics for %s version %d", uri, version)
	return protocol.PublishDiagnosticsParams{}
}

func TestEndToEndWithTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	p := startProc(t)
	var init protocol.InitializeResult
	p.request("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}, &init)
	if init.ServerInfo == nil || init.ServerInfo.Name != "iamlens" || init.ServerInfo.Version == "" {
		t.Errorf("serverInfo = %+v", init.ServerInfo)
	}
	p.send(map[string]any{"method": "initialized", "params": map[string]any{}})

	uri := "file:///work/e2e/template.yaml"
	text := samMismatch
	p.send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
	pd := p.waitDiagnostics(uri, 1)
	d, ok := findDiag(pd.Diagnostics, mismatchRule)
	if !ok {
		t.Fatalf("no %s diagnostic: %+v", mismatchRule, pd.Diagnostics)
	}
	i := strings.Index(text, "!GetAtt Bucket.Arn")
	if want := *rangeOf(text, i, i+len("!GetAtt Bucket.Arn")); d.Range != want {
		t.Errorf("diagnostic range = %+v, want %+v (the !GetAtt Bucket.Arn)", d.Range, want)
	}

	var hover protocol.Hover
	p.request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": utf16Pos(text, strings.Index(text, "s3:PutObject")+3)}, &hover)
	if !strings.Contains(hover.Contents.Value, "s3:PutObject") {
		t.Errorf("hover = %+v", hover)
	}

	var actions []protocol.CodeAction
	p.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": d.Range,
		"context": map[string]any{"diagnostics": []protocol.Diagnostic{d}}}, &actions)
	if len(actions) == 0 || actions[0].Edit == nil {
		t.Fatalf("code actions = %+v", actions)
	}
	chosen := actions[0]
	for _, a := range actions {
		if a.IsPreferred {
			chosen = a
		}
	}
	edits := chosen.Edit.Changes[protocol.DocumentURI(uri)]
	// Send the edits as incremental changes, last first, as an editor would.
	fixed := applyEdits(text, edits) // sorts edits from the end
	var changes []map[string]any
	for _, e := range edits { // applyEdits sorted them from the end
		changes = append(changes, map[string]any{"range": e.Range, "text": e.NewText})
	}
	p.send(map[string]any{"method": "textDocument/didChange", "params": map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": changes}})
	pd = p.waitDiagnostics(uri, 2)
	if _, still := findDiag(pd.Diagnostics, mismatchRule); still {
		t.Errorf("after %q the diagnostic remains; text:\n%s", chosen.Title, fixed)
	}

	p.request("shutdown", nil, nil)
	p.send(map[string]any{"method": "exit"})
	p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server exited with %v (want code 0); stderr:\n%s", err, p.stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not exit")
	}
}
