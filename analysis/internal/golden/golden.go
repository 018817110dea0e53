// Package golden runs iamlens's golden tests: txtar archives that hold an
// input document, the findings expected for it, and the document after
// each fix, side by side so a reviewer reads them together.
//
// Archive layout:
//
//	-- input.yaml --          (or input.json, input.template; the name is the path analysed)
//	...document...
//	-- want --
//	7:19-7:44 error action-resource-mismatch: message
//	-- fix: Scope Resource to ${Bucket.Arn}/* --
//	...document after applying that fix...
//
// A "fix:" section names a fix by its title; the test applies it to the
// input, compares the result, and checks that the re-analysed document
// parses and no longer reports the finding the fix came from.
// `go test ./... -update` rewrites want and fix sections from what the
// analysis produces now.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Updating reports whether the test run was asked to rewrite goldens
// (-update), for tests with golden sections of their own.
func Updating() bool { return *update }

// Format renders findings one per line, positions 1-based with UTF-16 columns.
func Format(r *analysis.Result) string {
	var b strings.Builder
	for _, f := range r.Findings {
		sl, sc := r.Doc.Lines.LineCol(f.Span.Start)
		el, ec := r.Doc.Lines.LineCol(f.Span.End)
		fmt.Fprintf(&b, "%d:%d-%d:%d %s %s: %s\n", sl, sc, el, ec, f.Severity, f.Rule, f.Message)
	}
	return b.String()
}

// Apply applies a fix's edits to text. Edits must not overlap.
func Apply(text []byte, fix analysis.Fix) ([]byte, error) {
	edits := append([]analysis.Edit(nil), fix.Edits...)
	sort.Slice(edits, func(i, j int) bool { return edits[i].Span.Start > edits[j].Span.Start })
	out := append([]byte(nil), text...)
	prev := len(out) + 1
	for _, e := range edits {
		if e.Span.Start < 0 || e.Span.End > len(out) || e.Span.Start > e.Span.End || e.Span.End > prev {
			return nil, fmt.Errorf("fix %q: bad or overlapping edit %v", fix.Title, e.Span)
		}
		out = append(out[:e.Span.Start], append([]byte(e.NewText), out[e.Span.End:]...)...)
		prev = e.Span.Start
	}
	return out, nil
}

// Input returns the archive's input section (named input.yaml,
// input.json ...), failing the test when there is none.
func Input(t testing.TB, file string, ar *txtar.Archive) *txtar.File {
	t.Helper()
	for i := range ar.Files {
		if strings.HasPrefix(ar.Files[i].Name, "input") {
			return &ar.Files[i]
		}
	}
	t.Fatalf("%s: no input section", file)
	return nil
}

// Run runs every *.txtar file in dir as a subtest.
func Run(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no golden files in %s", dir)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) { runFile(t, file) })
	}
}

func runFile(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	input := Input(t, file, ar)
	res := analysis.Analyze(input.Name, input.Data, analysis.Options{})
	got := Format(res)
	fixes := map[string]analysis.Fix{}
	fixRule := map[string]string{}
	var fixOrder []string
	for _, f := range res.Findings {
		for _, fx := range f.Fixes {
			if _, dup := fixes[fx.Title]; !dup {
				fixOrder = append(fixOrder, fx.Title)
			}
			fixes[fx.Title], fixRule[fx.Title] = fx, f.Rule
		}
	}
	if *update {
		out := &txtar.Archive{Comment: ar.Comment}
		out.Files = append(out.Files, *input, txtar.File{Name: "want", Data: []byte(got)})
		for _, f := range ar.Files {
			title, isFix := strings.CutPrefix(f.Name, "fix: ")
			if !isFix {
				continue
			}
			if fx, ok := fixes[title]; ok {
				after, err := Apply(input.Data, fx)
				if err != nil {
					t.Fatal(err)
				}
				out.Files = append(out.Files, txtar.File{Name: f.Name, Data: after})
			}
		}
		if err := os.WriteFile(file, txtar.Format(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	var want string
	for _, f := range ar.Files {
		if f.Name == "want" {
			want = string(f.Data)
		}
	}
	if got != want {
		t.Errorf("%s: findings differ\n--- got ---\n%s--- want ---\n%s", file, got, want)
	}
	for _, f := range ar.Files {
		title, isFix := strings.CutPrefix(f.Name, "fix: ")
		if !isFix {
			continue
		}
		fx, ok := fixes[title]
		if !ok {
			t.Errorf("%s: no fix titled %q; fixes offered: %q", file, title, fixOrder)
			continue
		}
		after, err := Apply(input.Data, fx)
		if err != nil {
			t.Error(err)
			continue
		}
		if string(after) != string(f.Data) {
			t.Errorf("%s: after fix %q\n--- got ---\n%s--- want ---\n%s", file, title, after, f.Data)
			continue
		}
		again := analysis.Analyze(input.Name, after, analysis.Options{})
		if again.Doc.Err != nil {
			t.Errorf("%s: after fix %q the document no longer parses: %v", file, title, again.Doc.Err)
		}
		before, now := count(res, fixRule[title]), count(again, fixRule[title])
		if now >= before {
			t.Errorf("%s: after fix %q there are still %d %s findings (before: %d)\n%s", file, title, now, fixRule[title], before, Format(again))
		}
	}
}

func count(r *analysis.Result, rule string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Rule == rule {
			n++
		}
	}
	return n
}
