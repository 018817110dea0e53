package hover_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/hover"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite hover golden files")

// TestHoverGolden checks hover texts word for word. Each "hover: NEEDLE"
// section holds the markdown hover for the first occurrence of NEEDLE in
// the input (the pointer one byte into it); "plain: NEEDLE" the plain text.
func TestHoverGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no hover golden files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input := ar.Files[0]
			res := analysis.Analyze(input.Name, input.Data, analysis.Options{})
			changed := false
			for i := range ar.Files[1:] {
				f := &ar.Files[i+1]
				kind, needle, ok := strings.Cut(f.Name, ": ")
				if !ok || (kind != "hover" && kind != "plain") {
					continue
				}
				off := strings.Index(string(input.Data), needle)
				if off < 0 {
					t.Fatalf("%q not in the input", needle)
				}
				format := hover.Markdown
				if kind == "plain" {
					format = hover.PlainText
				}
				h, _ := hover.At(res.Model, off+1, format)
				got := h.Text + "\n"
				if *update {
					f.Data, changed = []byte(got), true
					continue
				}
				if got != string(f.Data) {
					t.Errorf("%s %q:\n--- got ---\n%s--- want ---\n%s", kind, needle, got, f.Data)
				}
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
