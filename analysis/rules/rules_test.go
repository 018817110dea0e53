package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamlens/iamlens/analysis/internal/golden"
)

// TestGolden runs every golden file under testdata, one folder at a time.
func TestGolden(t *testing.T) {
	dirs := []string{"testdata"}
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join("testdata", e.Name()))
		}
	}
	for _, d := range dirs {
		if m, _ := filepath.Glob(filepath.Join(d, "*.txtar")); len(m) > 0 {
			golden.Run(t, d)
		}
	}
}
