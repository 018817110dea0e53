package network_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/internal/golden"
	"github.com/iamlens/iamlens/analysis/network"
	"golang.org/x/tools/txtar"
)

// The golden files in testdata hold a template and, side by side:
//
//	-- paths --           each function's path, and each subnet's
//	-- want --            the findings of the network rules, one per line
//	-- hover <Fn> --      the plain-text hover for a function
//	-- fix: <title> --    the template after applying that fix
//
// A fix must leave a template that parses and whose re-analysis shows the
// fixed functions on the gateway-endpoint path (unknown when some subnet
// is outside the template) with no no-route-to-s3 or s3-via-nat finding.
// `go test ./analysis/network -update` rewrites the sections.

var networkRules = map[string]bool{
	"no-route-to-s3": true, "s3-via-nat": true, "endpoint-policy-denies-function": true, "egress-blocked": true,
	"vpc-function-missing-eni-permissions": true, "interface-endpoint-dns": true,
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) { runGolden(t, file) })
	}
}

// Paths renders each function's path and its subnets, one per line.
func Paths(r *network.Report) string {
	var b strings.Builder
	for _, id := range r.Order {
		fp := r.Functions[id]
		fmt.Fprintf(&b, "%s: %s", id, fp.Path)
		if fp.Endpoint != nil {
			fmt.Fprintf(&b, " via %s", fp.Endpoint.ID)
		}
		if fp.VpcID != "" {
			fmt.Fprintf(&b, " vpc=%s", fp.VpcID)
		}
		fmt.Fprintf(&b, " egress=%s\n", fp.Egress)
		for _, s := range fp.Subnets {
			fmt.Fprintf(&b, "  %s rt=%s %s: %s\n", s.Subnet, s.RouteTable, s.Path, s.Reason)
		}
	}
	return b.String()
}

func findings(r *analysis.Result) string {
	own := *r
	own.Findings = nil
	for _, f := range r.Findings {
		if networkRules[f.Rule] {
			own.Findings = append(own.Findings, f)
		}
	}
	var b strings.Builder
	for _, f := range own.Findings {
		one := own
		one.Findings = []analysis.Finding{f}
		b.WriteString(golden.Format(&one))
		for _, rel := range f.Related {
			l, c := r.Doc.Lines.LineCol(rel.Span.Start)
			fmt.Fprintf(&b, "  related %d:%d %s\n", l, c, rel.Message)
		}
	}
	return b.String()
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	input := ar.Files[0]
	if !strings.HasPrefix(input.Name, "input") {
		t.Fatalf("first section must be the input, got %q", input.Name)
	}
	res := analysis.Analyze(input.Name, input.Data, analysis.Options{})
	if res.Network == nil {
		t.Fatalf("no network report (kind %s)", res.Kind)
	}
	fixes := map[string]analysis.Fix{}
	fixed := map[string][]string{} // fix title -> functions whose findings offer it
	var titles []string
	for _, f := range res.Findings {
		for _, fx := range f.Fixes {
			if _, dup := fixes[fx.Title]; !dup {
				titles = append(titles, fx.Title)
			}
			fixes[fx.Title] = fx
			if f.Rule == "no-route-to-s3" || f.Rule == "s3-via-nat" {
				fixed[fx.Title] = append(fixed[fx.Title], functionAt(res, f.Span.Start))
			}
		}
	}
	got := map[string]string{"paths": Paths(res.Network), "want": findings(res)}
	for i := range ar.Files {
		f := &ar.Files[i]
		name := f.Name
		switch {
		case name == "paths" || name == "want":
		case strings.HasPrefix(name, "hover "):
			got[name] = res.Network.Hover(strings.TrimPrefix(name, "hover "), false)
		case strings.HasPrefix(name, "fix: "):
			title := strings.TrimPrefix(name, "fix: ")
			fx, ok := fixes[title]
			if !ok {
				t.Errorf("no fix titled %q; offered: %q", title, titles)
				continue
			}
			after, err := golden.Apply(input.Data, fx)
			if err != nil {
				t.Fatal(err)
			}
			got[name] = string(after)
			checkFixed(t, input.Name, after, title, fixed[title])
		}
		if updating() && i > 0 {
			f.Data = []byte(got[name])
			continue
		}
		if i > 0 && string(f.Data) != got[name] {
			t.Errorf("%s: section %q differs\n--- got ---\n%s--- want ---\n%s", file, name, got[name], f.Data)
		}
	}
	if updating() {
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkFixed re-analyses a fixed template.
func checkFixed(t *testing.T, name string, after []byte, title string, fns []string) {
	again := analysis.Analyze(name, after, analysis.Options{})
	if again.Doc.Err != nil {
		t.Errorf("after %q the template does not parse: %v\n%s", title, again.Doc.Err, after)
		return
	}
	for _, f := range again.Findings {
		if f.Rule == "no-route-to-s3" || f.Rule == "s3-via-nat" {
			t.Errorf("after %q: still %s: %s", title, f.Rule, f.Message)
		}
	}
	for _, fn := range fns {
		fp := again.Network.Functions[fn]
		want := network.GatewayEndpoint
		for _, s := range fp.Subnets {
			if !s.Known {
				want = network.Unknown
			}
		}
		if fp.Path != want {
			t.Errorf("after %q: %s's path is %s, want %s\n%s", title, fn, fp.Path, want, Paths(again.Network))
		}
	}
}

func functionAt(r *analysis.Result, offset int) string {
	for _, id := range r.Network.Order {
		if r.Network.Functions[id].Span.Contains(offset) {
			return id
		}
	}
	for _, id := range r.Network.Order {
		if r.Network.Functions[id].VpcConfigKey.Contains(offset) {
			return id
		}
	}
	return ""
}
