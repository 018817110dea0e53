package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/access"
)

// explainFile is one template in the explain report.
type explainFile struct {
	Path      string                   `json:"path"`
	Kind      string                   `json:"kind"`
	Functions []access.ExplainFunction `json:"functions"`
	Buckets   []access.ExplainBucket   `json:"buckets"`
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("explain", flag.ContinueOnError)
	fset.SetOutput(stderr)
	format := fset.String("format", "text", "output format: text or json")
	fset.Usage = func() {
		fmt.Fprint(stderr, `Usage: iamlens explain [--format text|json] FILE...

Shows, for every Lambda function of a CloudFormation or SAM template, which S3
buckets it can reach, with which actions, over which network path, and why.
"allowed" lists what IAM certainly allows (identity, bucket, boundary and VPC
endpoint policies); what the template cannot settle is reported as unknown.

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
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "iamlens explain: unknown --format %q (use text or json)\n", *format)
		return 2
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return 2
	}
	var files []explainFile
	var reports []*access.Report
	for _, path := range fset.Args() {
		text, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "iamlens explain: %v\n", err)
			return 2
		}
		res := analysis.Analyze(path, text, analysis.Options{})
		if !res.Kind.IsTemplate() {
			fmt.Fprintf(stderr, "iamlens explain: %s is not a CloudFormation or SAM template (%s)\n", path, res.Kind)
			return 2
		}
		files = append(files, explainFile{Path: path, Kind: string(res.Kind),
			Functions: res.Access.ExplainFunctions(), Buckets: res.Access.ExplainBuckets()})
		reports = append(reports, res.Access)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"files": files}); err != nil {
			fmt.Fprintf(stderr, "iamlens explain: %v\n", err)
			return 2
		}
		return 0
	}
	for i, f := range files {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s (%s)\n", f.Path, f.Kind)
		reports[i].WriteText(stdout)
	}
	return 0
}
