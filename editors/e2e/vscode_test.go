package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Versions installed by .ci/editors-setup.sh (keep in step with it).
const (
	codeServerVersion = "4.100.3"
	playwrightVersion = "1.65.2"
)

func e2eCache() string {
	if dir := os.Getenv("IAMLENS_E2E_CACHE"); dir != "" {
		return dir
	}
	return "/opt/iamlens-e2e"
}

// vsixPath is the packaged extension, editors/vscode/iamlens-<version>.vsix.
func vsixPath(t *testing.T) string {
	t.Helper()
	ext := filepath.Join(moduleRoot, "editors", "vscode")
	data, err := os.ReadFile(filepath.Join(ext, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(ext, fmt.Sprintf("iamlens-%s.vsix", pkg.Version))
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("IAMLENS_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "iamlens-screenshots-"); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s (set IAMLENS_SCREENSHOTS to choose)", abs)
	return abs
}

// vscodeStep is one file handled by run.mjs.
type vscodeStep struct {
	Name        string    `json:"name"`
	File        string    `json:"file"`
	Rule        string    `json:"rule"`
	HoverToken  string    `json:"hoverToken,omitempty"`
	Hover       *position `json:"hover,omitempty"`
	FixPrefixes []string  `json:"fixPrefixes"`
	TimeoutMs   int       `json:"timeoutMs"`
	Result      string    `json:"result"`
	// Run "iamlens: Explain Access" and wait for this text in its output.
	Explain string `json:"explain,omitempty"`
}

func TestVSCode(t *testing.T) {
	node := requireTool(t, "node", "install nodejs")
	chromium := requireTool(t, "chromium", "install chromium")
	cache := e2eCache()
	codeServer := filepath.Join(cache, "code-server-"+codeServerVersion, "node_modules", ".bin", "code-server")
	playwright := filepath.Join(cache, "playwright-"+playwrightVersion, "node_modules", "playwright-core")
	requireFile(t, codeServer, "code-server "+codeServerVersion)
	requireFile(t, playwright, "playwright-core "+playwrightVersion)
	vsix := vsixPath(t)
	requireFile(t, vsix, "the extension package (npm run package in editors/vscode)")
	requireServer(t)
	started := time.Now()

	runDir := t.TempDir()
	data := filepath.Join(runDir, "data")
	exts := filepath.Join(runDir, "ext")
	workspace := filepath.Join(runDir, "workspace")
	for _, d := range []string{filepath.Join(data, "User"), exts, workspace} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	settings := map[string]any{
		"iamlens.server.path":                   serverBin,
		"workbench.startupEditor":               "none",
		"workbench.tips.enabled":                false,
		"workbench.enableExperiments":           false,
		"security.workspace.trust.enabled":      false,
		"telemetry.telemetryLevel":              "off",
		"update.mode":                           "none",
		"extensions.autoUpdate":                 false,
		"extensions.autoCheckUpdates":           false,
		"extensions.ignoreRecommendations":      true,
		"editor.minimap.enabled":                false,
		"editor.hover.delay":                    200,
		"files.autoSave":                        "off",
		"window.restoreWindows":                 "none",
		"chat.commandCenter.enabled":            false,
		"workbench.secondarySideBar.showLabels": false,
	}
	settingsJSON, _ := json.MarshalIndent(settings, "", "  ")
	if err := os.WriteFile(filepath.Join(data, "User", "settings.json"), settingsJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	config := fmt.Sprintf("bind-addr: 127.0.0.1:%d\nauth: none\ncert: false\n", port)
	configPath := filepath.Join(runDir, "config.yaml")
	if err := os.WriteFile(configPath, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	env := editorEnv(runDir)
	base := []string{"--config", configPath, "--user-data-dir", data, "--extensions-dir", exts}

	out, err := run(t, 2*time.Minute, runDir, env, codeServer, append(base, "--install-extension", vsix)...)
	if err != nil {
		t.Fatalf("code-server --install-extension %s: %v\n%s", vsix, err, out)
	}
	t.Logf("installed %s in %s", filepath.Base(vsix), time.Since(started).Round(time.Millisecond))

	// Steps 1-3 always; step 4 once the server reports no-route-to-s3.
	steps := []vscodeStep{}
	mismatch, fixture := copyFixture(t, workspace, "put-object.yaml"), ""
	if b, err := os.ReadFile(mismatch); err == nil {
		fixture = string(b)
	}
	hover := find(t, fixture, hoverKey)
	steps = append(steps, vscodeStep{
		Name: "put-object", File: mismatch, Rule: ruleMismatch, HoverToken: strings.TrimSuffix(hoverKey, ":"), Hover: &hover,
		FixPrefixes: mismatchFixPrefixes, TimeoutMs: 30000, Result: filepath.Join(runDir, "put-object-result.json"),
		Explain: "UploadFunction",
	})
	noRouteAbs, _ := filepath.Abs(filepath.Join("testdata", "no-route.yaml"))
	withNoRoute := serverReports(t, noRouteAbs, ruleNoRoute)
	if withNoRoute {
		steps = append(steps, vscodeStep{
			Name: "no-route", File: copyFixture(t, workspace, "no-route.yaml"), Rule: ruleNoRoute,
			FixPrefixes: noRouteFixPrefixes, TimeoutMs: 30000, Result: filepath.Join(runDir, "no-route-result.json"),
		})
	}

	// code-server on loopback, fresh state.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	serverLog := filepath.Join(runDir, "code-server.log")
	logFile, err := os.Create(serverLog)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cs := exec.CommandContext(ctx, codeServer, append(base,
		"--bind-addr", fmt.Sprintf("127.0.0.1:%d", port), "--auth", "none",
		"--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
		"--disable-getting-started-override", workspace)...)
	cs.Env = env
	cs.Stdout, cs.Stderr = logFile, logFile
	cs.WaitDelay = 5 * time.Second
	if err := cs.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cs.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cs.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cs.Process.Kill()
			<-done
		}
	}()
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	if err := waitHTTP(ctx, url+"healthz", 60*time.Second); err != nil {
		b, _ := os.ReadFile(serverLog)
		t.Fatalf("code-server did not come up on %s: %v\n%s", url, err, b)
	}
	t.Logf("code-server up on %s after %s", url, time.Since(started).Round(time.Millisecond))

	shots := screenshotDir(t)
	runSpec := map[string]any{
		"url":         url + "?folder=" + workspace,
		"playwright":  playwright,
		"chromium":    chromium,
		"screenshots": shots,
		"tmp":         runDir,
		"steps":       steps,
	}
	specJSON, _ := json.MarshalIndent(runSpec, "", "  ")
	specPath := filepath.Join(runDir, "run.json")
	if err := os.WriteFile(specPath, specJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs(filepath.Join("vscode", "run.mjs"))
	browserStart := time.Now()
	out, err = run(t, 4*time.Minute, runDir, append(env, "IAMLENS_VSCODE_RUN="+specPath), node, script)
	t.Logf("run.mjs took %s (exit: %v):\n%s", time.Since(browserStart).Round(time.Millisecond), err, out)

	extLog := func() string {
		return "code-server log:\n" + tail(readFile(serverLog), 3000) + "\n" + extensionLogs(data)
	}
	o := readOutcome(t, scenario{Result: steps[0].Result}, out+extLog())
	checkMismatch(t, "VS Code", o, fixture, extLog)
	t.Run("explain-command", func(t *testing.T) {
		if !strings.Contains(o.Explain, "UploadFunction") {
			t.Errorf(`"iamlens: Explain Access" did not show the report for UploadFunction (script error: %s); output:\n%s`, o.Error, o.Explain)
		}
	})
	t.Run("4-no-route-to-s3", func(t *testing.T) {
		if !withNoRoute {
			t.Skipf("SKIP: `iamlens check --format json testdata/no-route.yaml` does not report %s yet; "+
				"step 4 (S3 gateway endpoint fix) runs once the rule exists", ruleNoRoute)
		}
		checkNoRoute(t, readOutcome(t, scenario{Result: steps[1].Result}, out))
	})
	t.Logf("VS Code e2e took %s in all", time.Since(started).Round(time.Millisecond))
}

func waitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// extensionLogs returns the iamlens output channels that code-server wrote.
func extensionLogs(data string) string {
	var b strings.Builder
	_ = filepath.WalkDir(filepath.Join(data, "logs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(strings.ToLower(d.Name()), "iamlens") {
			fmt.Fprintf(&b, "--- %s\n%s\n", path, tail(readFile(path), 3000))
		}
		return nil
	})
	return b.String()
}
