package access_test

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
)

func corpusRoot(tb testing.TB) string {
	dir := os.Getenv("IAMLENS_CORPUS")
	if dir == "" {
		dir = filepath.Join("/work/shared/corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus not found at %s", dir)
	}
	return dir
}

// TestCorpus runs every corpus template through the reasoner, the explain
// views and the hovers, and reports how many functions get a verdict.
func TestCorpus(t *testing.T) {
	root := filepath.Join(corpusRoot(t), "serverless-patterns")
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".template")) {
			files = append(files, p)
		}
		return nil
	})
	templates, functions, noS3, s3verdict, partly, unknown := 0, 0, 0, 0, 0, 0
	reasons := map[string]int{}
	for _, p := range files {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := analysis.Analyze(p, text, analysis.Options{})
		if res.Access == nil {
			continue
		}
		templates++
		r := res.Access
		r.ExplainFunctions()
		r.ExplainBuckets()
		r.WriteText(io.Discard)
		for _, b := range r.Buckets {
			r.BucketHover(b.ID, true)
		}
		for _, pol := range res.Policies {
			for _, st := range pol.Statements {
				r.StatementHover(st, false)
			}
		}
		for _, fa := range r.Functions {
			functions++
			r.FunctionHover(fa.ID, true)
			switch {
			case !fa.Known():
				unknown++
				for _, u := range fa.Role.Unknown {
					reasons[category(u)]++
				}
			case !fa.UsesS3:
				noS3++
			default:
				external := false
				for _, ba := range fa.Buckets {
					external = external || ba.Bucket.External
				}
				if external {
					partly++
					reasons["bucket outside the template (parameter or literal name)"]++
				} else {
					s3verdict++
				}
			}
		}
	}
	t.Logf("%d templates, %d functions: %d with an S3 verdict (%d no S3 access at all, %d reach template buckets), %d reach buckets outside the template, %d unknown",
		templates, functions, noS3+s3verdict, noS3, s3verdict, partly, unknown)
	var keys []string
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return reasons[keys[i]] > reasons[keys[j]] })
	for _, k := range keys {
		t.Logf("  %4d  %s", reasons[k], k)
	}
}

func category(u string) string {
	switch {
	case strings.Contains(u, "role") && strings.Contains(u, "not defined"):
		return "role outside the template"
	case strings.Contains(u, "managed policy"):
		return "customer managed policy outside the template"
	case strings.Contains(u, "Policies entry"):
		return "Policies entry that cannot be read (intrinsic, unknown template)"
	case strings.Contains(u, "boundary"):
		return "permissions boundary outside the template"
	case strings.Contains(u, "network path"):
		return "network path unknown"
	}
	return u
}
