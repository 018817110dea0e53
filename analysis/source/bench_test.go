package source

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// corpusDir finds /work/shared/corpus by walking up from the test's working
// directory, so the tests run wherever the repository is checked out next to it.
func corpusDir(tb testing.TB, sub string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Skip(err)
	}
	for {
		for _, cand := range []string{filepath.Join(dir, "shared", "corpus", sub), filepath.Join(dir, "corpus", sub)} {
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return cand
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skipf("corpus %s not found", sub)
		}
		dir = parent
	}
}

func readSynthetic(b *testing.B) []byte {
	text, err := os.ReadFile(filepath.Join(corpusDir(b, "synthetic"), "synthetic-1mb.yaml"))
	if err != nil {
		b.Skip(err)
	}
	return text
}

// toJSON writes a node tree as indented JSON: short forms come out in their
// long form, which is what a JSON template would hold.
func toJSON(buf *bytes.Buffer, n *Node, indent string) {
	switch n.Kind {
	case Mapping:
		buf.WriteString("{")
		for i, p := range n.Pairs {
			if i > 0 {
				buf.WriteString(",")
			}
			buf.WriteString("\n" + indent + "  ")
			k, _ := json.Marshal(p.Key)
			buf.Write(k)
			buf.WriteString(": ")
			toJSON(buf, p.Value, indent+"  ")
		}
		buf.WriteString("\n" + indent + "}")
	case Sequence:
		buf.WriteString("[")
		for i, it := range n.Items {
			if i > 0 {
				buf.WriteString(", ")
			}
			toJSON(buf, it, indent+"  ")
		}
		buf.WriteString("]")
	default:
		switch n.ScalarType {
		case Number, Bool:
			buf.WriteString(n.Value)
		case Null:
			buf.WriteString("null")
		default:
			v, _ := json.Marshal(n.Value)
			buf.Write(v)
		}
	}
}

var (
	json1MBOnce sync.Once
	json1MB     []byte
)

func synthetic1MBJSON(b *testing.B) []byte {
	text := readSynthetic(b)
	json1MBOnce.Do(func() {
		root, err := ParseYAML(text)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		toJSON(&buf, root, "")
		json1MB = buf.Bytes()
	})
	return json1MB
}

func BenchmarkParseYAML1MB(b *testing.B) {
	text := readSynthetic(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Parse("synthetic.yaml", text); d.Err != nil {
			b.Fatal(d.Err)
		}
	}
}

func BenchmarkParseJSON1MB(b *testing.B) {
	text := synthetic1MBJSON(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Parse("synthetic.json", text); d.Err != nil {
			b.Fatal(d.Err)
		}
	}
}

func BenchmarkParse20KB(b *testing.B) {
	path := filepath.Join(corpusDir(b, "serverless-patterns"), "apigw-vpclink-alb-ecs", "template.yaml")
	text, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Parse(path, text); d.Err != nil {
			b.Fatal(d.Err)
		}
	}
}
