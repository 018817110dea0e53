package e2e

import (
	"path/filepath"
	"testing"
	"time"
)

// runEmacs runs emacs/scenario.el in batch mode with editors/emacs/iamlens.el.
func runEmacs(t *testing.T, emacs string, sc scenario) (outcome, func() string) {
	t.Helper()
	home := t.TempDir()
	sc.Plugin = filepath.Join(moduleRoot, "editors", "emacs")
	path := writeScenario(t, sc)
	script, err := filepath.Abs(filepath.Join("emacs", "scenario.el"))
	if err != nil {
		t.Fatal(err)
	}
	env := append(editorEnv(home), "IAMLENS_SCENARIO="+path)
	start := time.Now()
	out, err := run(t, 90*time.Second, filepath.Dir(sc.File), env, emacs, "--batch", "-Q", "-l", script)
	t.Logf("emacs ran %s (exit: %v)", time.Since(start).Round(time.Millisecond), err)
	log := func() string { return "emacs output:\n" + tail(out, 6000) }
	return readOutcome(t, sc, log()), log
}

func TestEmacsEglot(t *testing.T) {
	emacs := requireTool(t, "emacs", "install emacs-nox and elpa-eglot")
	requireServer(t)

	t.Run("put-object", func(t *testing.T) {
		dir := t.TempDir()
		sc, fixture := newScenario(t, dir, "put-object.yaml", ruleMismatch, mismatchFixPrefixes)
		hover := find(t, fixture, hoverKey)
		hover.Character += 2
		sc.Hover = &hover
		o, log := runEmacs(t, emacs, sc)
		checkMismatch(t, "Emacs+eglot", o, fixture, log)
	})

	t.Run("4-no-route-to-s3", func(t *testing.T) {
		skipUnlessNoRoute(t)
		dir := t.TempDir()
		sc, _ := newScenario(t, dir, "no-route.yaml", ruleNoRoute, noRouteFixPrefixes)
		o, log := runEmacs(t, emacs, sc)
		checkNoRoute(t, o)
		if t.Failed() {
			t.Log(log())
		}
	})
}
