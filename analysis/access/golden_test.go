package access_test

import (
	"bytes"
	"encoding/json"
	"github.com/iamlens/iamlens/analysis/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"golang.org/x/tools/txtar"
)

// TestExplainGolden runs testdata/*.txtar: an input template, then the
// expected explain JSON ("explain.json") and hover texts ("hover: Id" in
// markdown, "hover-plain: Id" in plain text; Id is a function or bucket).
func TestExplainGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) { runGolden(t, file) })
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	input := golden.Input(t, file, ar)
	res := analysis.Analyze(input.Name, input.Data, analysis.Options{})
	if res.Access == nil {
		t.Fatalf("%s: no access report (kind %s)", file, res.Kind)
	}
	got := map[string]string{}
	for _, f := range ar.Files {
		switch {
		case f.Name == "explain.json":
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			if err := enc.Encode(map[string]any{"functions": res.Access.ExplainFunctions(), "buckets": res.Access.ExplainBuckets()}); err != nil {
				t.Fatal(err)
			}
			got[f.Name] = buf.String()
		case f.Name == "explain.txt":
			var buf bytes.Buffer
			res.Access.WriteText(&buf)
			got[f.Name] = buf.String()
		case strings.HasPrefix(f.Name, "hover: "), strings.HasPrefix(f.Name, "hover-plain: "):
			kind, id, _ := strings.Cut(f.Name, ": ")
			md := kind == "hover"
			text := res.Access.FunctionHover(id, md)
			if text == "" {
				text = res.Access.BucketHover(id, md)
			}
			got[f.Name] = text
		}
	}
	if golden.Updating() {
		for i, f := range ar.Files {
			if g, ok := got[f.Name]; ok {
				ar.Files[i].Data = []byte(g)
			}
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range ar.Files {
		if g, ok := got[f.Name]; ok && g != string(f.Data) {
			t.Errorf("%s: %s differs\n--- got ---\n%s--- want ---\n%s", file, f.Name, g, f.Data)
		}
	}
}
