package rules_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis/rules"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the rule list in README.md")

const (
	rulesStart = "<!-- rules:start (generated from analysis/rules; go test ./analysis/rules -run TestReadme -update-readme) -->"
	rulesEnd   = "<!-- rules:end -->"
)

// ruleList renders the README's rule list from the rules' own docs.
func ruleList() string {
	var b strings.Builder
	b.WriteString("| Rule | Default | What it finds |\n|---|---|---|\n")
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, r.ID, r.Severity, r.Summary)
	}
	for _, r := range rules.All() {
		fmt.Fprintf(&b, "\n### %s\n\nDefault severity: **%s**.\n\n%s\n", r.ID, r.Severity, r.Doc)
	}
	return b.String()
}

// TestReadme fails when the README's rule list and the rules drift apart.
func TestReadme(t *testing.T) {
	const path = "../../README.md"
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(text)
	i, j := strings.Index(s, rulesStart), strings.Index(s, rulesEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no generated rule list between %q and %q", rulesStart, rulesEnd)
	}
	want := s[:i] + rulesStart + "\n\n" + ruleList() + "\n" + s[j:]
	if want == s {
		return
	}
	if *updateReadme {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule list is out of date: run go test ./analysis/rules -run TestReadme -update-readme")
}

// TestRuleDocs keeps every rule's documentation worth reading.
func TestRuleDocs(t *testing.T) {
	for _, r := range rules.All() {
		if r.Summary == "" || len(r.Doc) < 80 {
			t.Errorf("rule %s: summary and doc must say what it finds and why it matters", r.ID)
		}
		if strings.ToLower(r.ID) != r.ID || strings.Contains(r.ID, "_") {
			t.Errorf("rule %s: IDs are kebab-case", r.ID)
		}
	}
}
