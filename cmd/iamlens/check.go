package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/diag"
)

// fileResult is one analysed file as the reports see it.
type fileResult struct {
	Path   string
	Result *analysis.Result
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("check", flag.ContinueOnError)
	fset.SetOutput(stderr)
	format := fset.String("format", "text", "output format: text, json or sarif")
	failOn := fset.String("fail-on", "error", "exit 1 when a finding is at or above: error, warning, information, hint or none")
	fset.Usage = func() {
		fmt.Fprint(stderr, `Usage: iamlens check [--format text|json|sarif] [--fail-on error|warning|information|hint|none] PATH...

Checks IAM policy documents and CloudFormation/SAM templates. A PATH may be a
file or a folder; folders are searched for *.json, *.yaml, *.yml and
*.template files (skipping .git, node_modules and dot-folders), and files that
are neither policies nor templates are skipped silently.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 for a usage error or an unreadable path.

Flags:
`)
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(stderr, "iamlens check: unknown --format %q (use text, json or sarif)\n", *format)
		return 2
	}
	threshold := diag.SeverityOff
	if *failOn != "none" {
		sev, ok := diag.ParseSeverity(*failOn)
		if !ok || sev == diag.SeverityOff {
			fmt.Fprintf(stderr, "iamlens check: unknown --fail-on %q (use error, warning, information, hint or none)\n", *failOn)
			return 2
		}
		threshold = sev
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return 2
	}
	results, err := analyzePaths(fset.Args())
	if err != nil {
		fmt.Fprintf(stderr, "iamlens check: %v\n", err)
		return 2
	}
	switch *format {
	case "json":
		err = writeJSON(stdout, results)
	case "sarif":
		err = writeSARIF(stdout, results)
	default:
		writeText(stdout, results)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamlens check: %v\n", err)
		return 2
	}
	if threshold != diag.SeverityOff {
		for _, r := range results {
			for _, f := range r.Result.Findings {
				if f.Severity != diag.SeverityOff && f.Severity <= threshold {
					return 1
				}
			}
		}
	}
	return 0
}

var checkedExt = map[string]bool{".json": true, ".yaml": true, ".yml": true, ".template": true}

// analyzePaths analyses files and folders. Files named explicitly are
// always reported; files found in folders only when they are policies or
// templates.
func analyzePaths(paths []string) ([]fileResult, error) {
	var out []fileResult
	cfgCache := map[string]analysis.Config{}
	analyze := func(path string, explicit bool) error {
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		cfg, ok := cfgCache[dir]
		if !ok {
			c, _, err := analysis.LoadConfig(dir)
			if err != nil {
				return err
			}
			cfg, cfgCache[dir] = c, c
		}
		res := analysis.Analyze(path, text, analysis.Options{Rules: cfg.Rules})
		if !explicit && res.Kind == diag.KindUnknown {
			return nil
		}
		out = append(out, fileResult{Path: path, Result: res})
		return nil
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if err := analyze(p, true); err != nil {
				return nil, err
			}
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && (strings.HasPrefix(name, ".") || name == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && checkedExt[strings.ToLower(filepath.Ext(name))] {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			if err := analyze(f, false); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func writeText(w io.Writer, results []fileResult) {
	for _, r := range results {
		for _, f := range r.Result.Findings {
			line, col := r.Result.Doc.Lines.LineCol(f.Span.Start)
			fmt.Fprintf(w, "%s:%d:%d: %s %s: %s\n", r.Path, line, col, f.Severity, f.Rule, f.Message)
		}
	}
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonRange struct {
	Start jsonPos `json:"start"`
	End   jsonPos `json:"end"`
}

type jsonEdit struct {
	Range   jsonRange `json:"range"`
	NewText string    `json:"newText"`
}

type jsonFix struct {
	Title     string     `json:"title"`
	Preferred bool       `json:"preferred,omitempty"`
	Edits     []jsonEdit `json:"edits"`
}

type jsonRelated struct {
	Range   jsonRange `json:"range"`
	Message string    `json:"message"`
}

type jsonFinding struct {
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Range    jsonRange     `json:"range"`
	Related  []jsonRelated `json:"related,omitempty"`
	Fixes    []jsonFix     `json:"fixes"`
}

type jsonFile struct {
	Path     string        `json:"path"`
	Kind     string        `json:"kind"`
	Findings []jsonFinding `json:"findings"`
}

func rangeOf(r *analysis.Result, sp analysis.Span) jsonRange {
	sl, sc := r.Doc.Lines.LineCol(sp.Start)
	el, ec := r.Doc.Lines.LineCol(sp.End)
	return jsonRange{Start: jsonPos{sl, sc}, End: jsonPos{el, ec}}
}

func toJSONFile(fr fileResult) jsonFile {
	r := fr.Result
	jf := jsonFile{Path: filepath.ToSlash(fr.Path), Kind: string(r.Kind), Findings: []jsonFinding{}}
	for _, f := range r.Findings {
		jfd := jsonFinding{Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message, Range: rangeOf(r, f.Span), Fixes: []jsonFix{}}
		for _, rel := range f.Related {
			jfd.Related = append(jfd.Related, jsonRelated{Range: rangeOf(r, rel.Span), Message: rel.Message})
		}
		for _, fx := range f.Fixes {
			jx := jsonFix{Title: fx.Title, Preferred: fx.Preferred, Edits: []jsonEdit{}}
			for _, e := range fx.Edits {
				jx.Edits = append(jx.Edits, jsonEdit{Range: rangeOf(r, e.Span), NewText: e.NewText})
			}
			jfd.Fixes = append(jfd.Fixes, jx)
		}
		jf.Findings = append(jf.Findings, jfd)
	}
	return jf
}

func writeJSON(w io.Writer, results []fileResult) error {
	out := struct {
		Files []jsonFile `json:"files"`
	}{Files: []jsonFile{}}
	for _, r := range results {
		out.Files = append(out.Files, toJSONFile(r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
