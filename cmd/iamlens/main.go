// Command iamlens tells whether AWS Lambda functions can really read and
// write their S3 buckets, and why: `iamlens check` for CI, `iamlens explain`
// for the access report, `iamlens serve` for editors.
package main

import (
	"fmt"
	"io"
	"os"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "0.1.0"

const usage = `iamlens — can your Lambda functions really reach their S3 buckets?

Usage:
  iamlens check [flags] PATH...   report findings in policies and templates
  iamlens explain [flags] FILE    show which buckets each function can reach, and why
  iamlens serve [flags]           run the language server on stdin/stdout
  iamlens version                 print the version

Run "iamlens COMMAND --help" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdout, stderr)
	case "serve":
		return runServe(args[1:], stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "iamlens %s\n", Version)
		return 0
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "iamlens: unknown command %q\n\n%s", args[0], usage)
	return 2
}
