package access

import (
	"os"
	"testing"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

func TestZZCount(t *testing.T) {
	text, _ := os.ReadFile("/work/shared/corpus/synthetic/synthetic-1mb.yaml")
	doc := source.Parse("x.yaml", text)
	tp := cfn.Build(doc)
	var pols []*iam.Policy
	for _, p := range tp.Policies() {
		pols = append(pols, p)
	}
	e := newEngine(tp, pols, nil)
	r := e.run()
	nc := 0
	for _, f := range r.Functions {
		var ident []*compiled
		for _, p := range f.Role.Identity {
			for _, st := range p.Statements {
				c := e.compile(st, iam.Identity)
				if !c.maybe.empty() {
					ident = append(ident, c)
				}
			}
		}
		nc += len(e.candidates(f, ident))
	}
	t.Logf("candidates %d", nc)
	nb, nd := 0, 0
	for _, f := range r.Functions {
		nb += len(f.Buckets)
		for _, b := range f.Buckets {
			nd += len(b.Decisions)
		}
	}
	t.Logf("functions %d buckets %d decisions %d stmts %d universe %d", len(r.Functions), nb, nd, len(pols), len(s3Universe().actions))
}
