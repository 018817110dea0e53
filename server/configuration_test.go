package server

import (
	"testing"

	"github.com/iamlens/iamlens/analysis/diag"
)

func TestParseSettingsShapes(t *testing.T) {
	cases := []struct {
		raw      string
		rule     string
		sev      diag.Severity
		problems int
	}{
		{`{"iamlens": {"rules": {"wildcard-action": "off"}}}`, "wildcard-action", diag.SeverityOff, 0},
		{`{"rules": {"wildcard-action": "hint"}}`, "wildcard-action", diag.Hint, 0},
		{`{"iamlens": {"rules": {"wildcard-action": 3, "unknown-action": "loud"}}}`, "", 0, 2},
		{`{"iamlens": {"debounceMs": -5}}`, "", 0, 1},
		{`[1, 2]`, "", 0, 1},
		{`{"iamlens": "yes"}`, "", 0, 1},
	}
	for _, c := range cases {
		st, problems := parseSettings([]byte(c.raw))
		if len(problems) != c.problems {
			t.Errorf("%s: problems %q, want %d", c.raw, problems, c.problems)
		}
		if c.rule != "" {
			if got, ok := st.rules.Rules[c.rule]; !ok || got != c.sev {
				t.Errorf("%s: %s = %v (%v), want %v", c.raw, c.rule, got, ok, c.sev)
			}
		}
	}
	st, _ := parseSettings([]byte(`{"iamlens": {"debounceMs": 0}}`))
	if st.debounce == nil || *st.debounce != 0 {
		t.Errorf("debounceMs 0 not applied")
	}
}
