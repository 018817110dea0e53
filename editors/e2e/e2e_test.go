// Package e2e drives real editors (Neovim, Emacs + eglot, VS Code in
// code-server) against the iamlens language server built from this tree.
//
// Each editor runs a scenario script (nvim/scenario.lua, emacs/scenario.el,
// vscode/run.mjs) that opens a fixture, waits for the diagnostic, hovers,
// applies a quick fix and writes what it saw to a JSON result file; the
// assertions live here, the same for every editor.
//
// A missing editor skips its test, except under CI=true where it fails:
// .ci/editors-setup.sh installs them all.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	ruleMismatch = "action-resource-mismatch"
	ruleNoRoute  = "no-route-to-s3"
	// The resource value the action-resource-mismatch diagnostic must cover.
	mismatchValue = "!GetAtt Bucket.Arn"
	// What the preferred quick fix writes instead.
	fixedValue = "!Sub '${Bucket.Arn}/*'"
	// The function whose hover must name the bucket.
	hoverKey    = "UploadFunction:"
	hoverBucket = "Bucket"
)

var (
	mismatchFixPrefixes = []string{"Scope Resource to", "Add the object ARN"}
	noRouteFixPrefixes  = []string{"Add an S3 gateway endpoint"}
)

// Set by TestMain.
var (
	serverBin  string // the iamlens binary under test
	binDir     string // its folder, prepended to PATH for the editors
	moduleRoot string
	buildErr   error
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	var err error
	moduleRoot, err = findModuleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "iamlens-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	if prebuilt := os.Getenv("IAMLENS_E2E_BINARY"); prebuilt != "" {
		// For harness work: test a given binary instead of building one.
		binDir = filepath.Join(tmp, "bin")
		serverBin = filepath.Join(binDir, "iamlens")
		if err := os.MkdirAll(binDir, 0o755); err == nil {
			buildErr = os.Symlink(prebuilt, serverBin)
		}
		fmt.Fprintf(os.Stderr, "e2e: using IAMLENS_E2E_BINARY=%s instead of building ./cmd/iamlens\n", prebuilt)
	} else {
		binDir = filepath.Join(tmp, "bin")
		serverBin = filepath.Join(binDir, "iamlens")
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", serverBin, "./cmd/iamlens")
		cmd.Dir = moduleRoot
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/iamlens: %v\n%s", err, out)
		} else {
			fmt.Fprintf(os.Stderr, "e2e: built %s in %s\n", serverBin, time.Since(start).Round(time.Millisecond))
		}
	}
	return m.Run()
}

func findModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// inCI reports whether missing tools must fail rather than skip.
func inCI() bool {
	return os.Getenv("CI") == "true"
}

// requireServer fails the test when the binary could not be built.
func requireServer(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("the iamlens binary is not available: %v", buildErr)
	}
}

// requireTool returns the path of an editor or tool, or skips (fails in CI).
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("SKIP: %s not installed — %s to run this test (.ci/editors-setup.sh installs everything)", name, install)
	if inCI() {
		t.Fatal(strings.Replace(msg, "SKIP: ", "FAIL (CI=true, so a missing editor is an error): ", 1))
	}
	t.Skip(msg)
	return ""
}

// requireFile is requireTool for things that are not on PATH.
func requireFile(t *testing.T, path, what string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	msg := fmt.Sprintf("SKIP: %s not found at %s — run .ci/editors-setup.sh to install it", what, path)
	if inCI() {
		t.Fatal(strings.Replace(msg, "SKIP: ", "FAIL (CI=true, so a missing editor is an error): ", 1))
	}
	t.Skip(msg)
}

// editorEnv is the environment for an editor process: the server first on
// PATH, state isolated in home.
func editorEnv(home string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME":
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
	)
}

// run runs an external command under a timeout and returns its combined output.
func run(t *testing.T, timeout time.Duration, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = nil
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("timed out after %s: %w", timeout, err)
	}
	return out.String(), err
}

// serverReports tells whether `iamlens check --format json` reports rule on fixture.
func serverReports(t *testing.T, fixture, rule string) bool {
	t.Helper()
	out, err := run(t, time.Minute, filepath.Dir(fixture), os.Environ(), serverBin, "check", "--format", "json", fixture)
	if err != nil && !strings.Contains(out, "{") {
		t.Logf("iamlens check --format json %s: %v\n%s", filepath.Base(fixture), err, out)
	}
	return strings.Contains(out, `"`+rule+`"`)
}

// copyFixture copies testdata/name into dir and returns the copy's path.
func copyFixture(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, name)
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// position is a 0-based LSP position (UTF-16; the fixtures are ASCII).
type position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type lspRange struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

type diagnostic struct {
	Range    lspRange        `json:"range"`
	Severity int             `json:"severity"`
	Code     json.RawMessage `json:"code"`
	Source   string          `json:"source"`
	Message  string          `json:"message"`
}

func (d diagnostic) code() string {
	var s string
	if json.Unmarshal(d.Code, &s) == nil {
		return s
	}
	return strings.Trim(string(d.Code), `"`)
}

// find returns the 0-based position of the first occurrence of needle.
func find(t *testing.T, text, needle string) position {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("fixture has no %q", needle)
	}
	before := text[:i]
	line := strings.Count(before, "\n")
	return position{Line: line, Character: i - (strings.LastIndex(before, "\n") + 1)}
}

// scenario is what a scenario script is asked to do (written as JSON).
type scenario struct {
	File        string    `json:"file"`
	LanguageID  string    `json:"languageId"`
	Cmd         []string  `json:"cmd"`
	Rule        string    `json:"rule"`
	Hover       *position `json:"hover"`
	FixPrefixes []string  `json:"fixPrefixes"`
	TimeoutMs   int       `json:"timeoutMs"`
	Result      string    `json:"result"`
	Plugin      string    `json:"plugin"` // the editor integration under test (a folder)
}

// outcome is what a scenario script saw (read back from JSON).
type outcome struct {
	FirstDiagnosticMs float64      `json:"firstDiagnosticMs"`
	Diagnostics       []diagnostic `json:"diagnostics"`
	Hover             *string      `json:"hover"`
	Actions           []string     `json:"actions"`
	Applied           string       `json:"applied"`
	TextAfter         string       `json:"textAfter"`
	Cleared           bool         `json:"cleared"`
	ClearedMs         float64      `json:"clearedMs"`
	DiagnosticsAfter  []diagnostic `json:"diagnosticsAfter"`
	Error             string       `json:"error"`
	Explain           string       `json:"explain"` // VS Code: the Explain Access output
}

func newScenario(t *testing.T, dir, fixture, rule string, prefixes []string) (scenario, string) {
	t.Helper()
	file := copyFixture(t, dir, fixture)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return scenario{
		File:        file,
		LanguageID:  "yaml",
		Cmd:         []string{serverBin, "serve"},
		Rule:        rule,
		FixPrefixes: prefixes,
		TimeoutMs:   20000,
		Result:      filepath.Join(dir, strings.TrimSuffix(fixture, filepath.Ext(fixture))+"-result.json"),
	}, string(data)
}

func writeScenario(t *testing.T, sc scenario) string {
	t.Helper()
	data, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimSuffix(sc.Result, "-result.json") + "-scenario.json"
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readOutcome reads the script's result; the script may have died before writing it.
func readOutcome(t *testing.T, sc scenario, log string) outcome {
	t.Helper()
	var o outcome
	data, err := os.ReadFile(sc.Result)
	if err != nil {
		t.Fatalf("the editor wrote no result (%v); its output:\n%s", err, log)
	}
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatalf("bad result JSON %s: %v\n%s", sc.Result, err, data)
	}
	return o
}

func codes(ds []diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.code())
	}
	return out
}

// checkMismatch asserts steps 1-3 on the outcome of the put-object scenario.
func checkMismatch(t *testing.T, editor string, o outcome, fixture string, editorLog func() string) {
	t.Helper()
	want := find(t, fixture, mismatchValue)
	failed := false
	step := func(name string, f func(t *testing.T)) {
		if !t.Run(name, f) {
			failed = true
		}
	}

	step("1-diagnostic", func(t *testing.T) {
		var got *diagnostic
		for i := range o.Diagnostics {
			if o.Diagnostics[i].code() == ruleMismatch {
				got = &o.Diagnostics[i]
				break
			}
		}
		if got == nil {
			t.Fatalf("no %s diagnostic; got codes %v (script error: %s)", ruleMismatch, codes(o.Diagnostics), o.Error)
		}
		t.Logf("%s: first %s diagnostic %.0f ms after opening the file", editor, ruleMismatch, o.FirstDiagnosticMs)
		if got.Source != "iamlens" {
			t.Errorf("source = %q, want iamlens", got.Source)
		}
		if got.Range.Start != want {
			t.Errorf("range starts at %d:%d, want %d:%d (the %q value); range %+v, message %q",
				got.Range.Start.Line, got.Range.Start.Character, want.Line, want.Character, mismatchValue, got.Range, got.Message)
		}
		// VS Code's Problems panel shows only the start (end == start there).
		if got.Range.End != got.Range.Start && got.Range.End.Line == want.Line &&
			got.Range.End.Character < want.Character+len(mismatchValue) {
			t.Errorf("range ends at %d:%d, before the end of %q", got.Range.End.Line, got.Range.End.Character, mismatchValue)
		}
	})

	step("2-hover", func(t *testing.T) {
		if o.Hover == nil {
			t.Fatalf("no hover on %q (script error: %s)", hoverKey, o.Error)
		}
		if !strings.Contains(*o.Hover, hoverBucket) {
			t.Errorf("hover on %q does not name %q:\n%s", hoverKey, hoverBucket, *o.Hover)
		}
	})

	step("3-quickfix", func(t *testing.T) {
		checkFix(t, o, ruleMismatch, mismatchFixPrefixes)
		if !strings.Contains(o.TextAfter, fixedValue) {
			t.Errorf("after %q the buffer does not contain %s:\n%s", o.Applied, fixedValue, o.TextAfter)
		}
	})
	if failed && editorLog != nil {
		t.Logf("%s log:\n%s", editor, editorLog())
	}
}

// checkFix asserts that a fix with one of the prefixes was applied and cleared the rule.
func checkFix(t *testing.T, o outcome, rule string, prefixes []string) {
	t.Helper()
	if o.Applied == "" {
		t.Fatalf("no quick fix applied; offered: %q (script error: %s)", o.Actions, o.Error)
	}
	ok := false
	for _, p := range prefixes {
		ok = ok || strings.HasPrefix(o.Applied, p)
	}
	if !ok {
		t.Errorf("applied %q, want a title starting with one of %q", o.Applied, prefixes)
	}
	if !o.Cleared {
		t.Errorf("the %s diagnostic did not disappear after %q; diagnostics now: %v (script error: %s)",
			rule, o.Applied, codes(o.DiagnosticsAfter), o.Error)
	} else {
		t.Logf("diagnostic cleared %.0f ms after applying %q", o.ClearedMs, o.Applied)
	}
}

// skipUnlessNoRoute skips step 4 until the server reports no-route-to-s3.
func skipUnlessNoRoute(t *testing.T) {
	t.Helper()
	fixture, err := filepath.Abs(filepath.Join("testdata", "no-route.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !serverReports(t, fixture, ruleNoRoute) {
		t.Skipf("SKIP: `iamlens check --format json testdata/no-route.yaml` does not report %s yet; "+
			"step 4 (S3 gateway endpoint fix) runs once the rule exists", ruleNoRoute)
	}
}

// checkNoRoute asserts step 4.
func checkNoRoute(t *testing.T, o outcome) {
	t.Helper()
	found := false
	for _, d := range o.Diagnostics {
		found = found || d.code() == ruleNoRoute
	}
	if !found {
		t.Fatalf("`iamlens check` reports %s but the editor got %v (script error: %s)", ruleNoRoute, codes(o.Diagnostics), o.Error)
	}
	t.Logf("first %s diagnostic %.0f ms after opening the file", ruleNoRoute, o.FirstDiagnosticMs)
	checkFix(t, o, ruleNoRoute, noRouteFixPrefixes)
	if err := parsesAsYAML(o.TextAfter); err != nil {
		t.Errorf("after %q the template no longer parses: %v\n%s", o.Applied, err, o.TextAfter)
	}
	if !strings.Contains(o.TextAfter, "AWS::EC2::VPCEndpoint") {
		t.Errorf("after %q the template has no AWS::EC2::VPCEndpoint:\n%s", o.Applied, o.TextAfter)
	}
}
