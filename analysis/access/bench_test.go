package access_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/access"
)

func benchBuild(b *testing.B, path string) {
	text, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	res := analysis.Analyze(path, text, analysis.Options{})
	if res.Template == nil {
		b.Fatal("not a template")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		access.Build(res.Template, res.Policies, res.Network).ExplainFunctions()
	}
}

// BenchmarkBuild1MB measures the reasoner alone on the synthetic template.
func BenchmarkBuild1MB(b *testing.B) {
	benchBuild(b, filepath.Join(corpusRoot(b), "synthetic", "synthetic-1mb.yaml"))
}

// BenchmarkExplain1MB is `iamlens explain` minus I/O: Analyze (which runs
// Build) plus the explain views.
func BenchmarkExplain1MB(b *testing.B) {
	benchExplain(b, filepath.Join(corpusRoot(b), "synthetic", "synthetic-1mb.yaml"))
}

// BenchmarkExplain20KB runs on a ~20 KB corpus template.
func BenchmarkExplain20KB(b *testing.B) {
	benchExplain(b, filepath.Join(corpusRoot(b), "serverless-patterns", "lambda-microvm-s3files", "template.yaml"))
}

func benchExplain(b *testing.B, path string) {
	text, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		res := analysis.Analyze(path, text, analysis.Options{})
		res.Access.ExplainFunctions()
	}
}
