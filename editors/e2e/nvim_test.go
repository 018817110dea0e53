package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// runNvim runs nvim/scenario.lua headless with editors/nvim on the runtimepath.
func runNvim(t *testing.T, nvim string, sc scenario) (outcome, func() string) {
	t.Helper()
	home := t.TempDir()
	sc.Plugin = filepath.Join(moduleRoot, "editors", "nvim")
	path := writeScenario(t, sc)
	script, err := filepath.Abs(filepath.Join("nvim", "scenario.lua"))
	if err != nil {
		t.Fatal(err)
	}
	env := append(editorEnv(home), "IAMLENS_SCENARIO="+path)
	// A load error under -c luafile hangs headless nvim: pcall(dofile) and a timeout.
	lua := `lua local ok, e = pcall(dofile, "` + script + `") ` +
		`if not ok then io.stdout:write("FAIL: " .. tostring(e) .. "\n") vim.cmd("cquit 3") end`
	start := time.Now()
	out, err := run(t, 90*time.Second, filepath.Dir(sc.File), env, nvim,
		"--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", lua)
	t.Logf("nvim ran %s (exit: %v)", time.Since(start).Round(time.Millisecond), err)
	log := func() string {
		lsp, _ := os.ReadFile(filepath.Join(home, ".cache", "nvim", "lsp.log"))
		return "nvim output:\n" + out + "\nlsp.log:\n" + tail(string(lsp), 4000)
	}
	return readOutcome(t, sc, log()), log
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

func TestNeovim(t *testing.T) {
	nvim := requireTool(t, "nvim", "install neovim")
	requireServer(t)

	t.Run("put-object", func(t *testing.T) {
		dir := t.TempDir()
		sc, fixture := newScenario(t, dir, "put-object.yaml", ruleMismatch, mismatchFixPrefixes)
		hover := find(t, fixture, hoverKey)
		hover.Character += 2 // inside the key
		sc.Hover = &hover
		o, log := runNvim(t, nvim, sc)
		checkMismatch(t, "Neovim", o, fixture, log)
	})

	t.Run("4-no-route-to-s3", func(t *testing.T) {
		skipUnlessNoRoute(t)
		dir := t.TempDir()
		sc, _ := newScenario(t, dir, "no-route.yaml", ruleNoRoute, noRouteFixPrefixes)
		o, log := runNvim(t, nvim, sc)
		checkNoRoute(t, o)
		if t.Failed() {
			t.Log(log())
		}
	})
}
