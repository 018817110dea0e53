package network_test

import (
	"os"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/source"
)

const synthetic = "/work/shared/corpus/synthetic/synthetic-1mb.yaml"

func readSynthetic(b *testing.B) []byte {
	text, err := os.ReadFile(synthetic)
	if err != nil {
		b.Skip("corpus not available:", err)
	}
	return text
}

// BenchmarkBuild is network classification alone on the 1 MB template;
// compare with BenchmarkAnalyze (the budget is 10% of it).
func BenchmarkBuild(b *testing.B) {
	text := readSynthetic(b)
	t := cfn.Build(source.Parse(synthetic, text))
	b.ResetTimer()
	for b.Loop() {
		network.Build(t)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	text := readSynthetic(b)
	for b.Loop() {
		analysis.Analyze(synthetic, text, analysis.Options{})
	}
}

// BenchmarkAnalyzeWithoutNetworkRules shows what the network rules add.
func BenchmarkAnalyzeWithoutNetworkRules(b *testing.B) {
	text := readSynthetic(b)
	off := map[string]analysis.Severity{}
	for id := range networkRules {
		off[id] = 0
	}
	for b.Loop() {
		analysis.Analyze(synthetic, text, analysis.Options{Rules: off})
	}
}
