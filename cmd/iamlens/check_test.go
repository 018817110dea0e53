package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mismatchTemplate = `Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  UploadFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:PutObject
              Resource: !GetAtt Bucket.Arn
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckText(t *testing.T) {
	dir := writeFiles(t, map[string]string{"template.yaml": mismatchTemplate})
	code, out, _ := runCLI("check", filepath.Join(dir, "template.yaml"))
	if code != 1 {
		t.Errorf("exit %d, want 1 for an error finding", code)
	}
	want := filepath.Join(dir, "template.yaml") + ":20:25: error action-resource-mismatch: "
	if !strings.HasPrefix(out, want) {
		t.Errorf("text output %q does not start with %q", out, want)
	}
}

func TestCheckJSONShape(t *testing.T) {
	dir := writeFiles(t, map[string]string{"template.yaml": mismatchTemplate})
	code, out, _ := runCLI("check", "--format", "json", "--fail-on", "none", dir)
	if code != 0 {
		t.Errorf("exit %d with --fail-on none, want 0", code)
	}
	var got struct {
		Files []struct {
			Path     string `json:"path"`
			Kind     string `json:"kind"`
			Findings []struct {
				Rule     string `json:"rule"`
				Severity string `json:"severity"`
				Message  string `json:"message"`
				Range    struct {
					Start struct{ Line, Column int } `json:"start"`
					End   struct{ Line, Column int } `json:"end"`
				} `json:"range"`
				Fixes []struct {
					Title string `json:"title"`
					Edits []struct {
						NewText string `json:"newText"`
					} `json:"edits"`
				} `json:"fixes"`
			} `json:"findings"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Files) != 1 || got.Files[0].Kind != "sam" {
		t.Fatalf("files: %+v", got.Files)
	}
	var f = got.Files[0].Findings
	if len(f) == 0 || f[0].Rule != "action-resource-mismatch" || f[0].Severity != "error" {
		t.Fatalf("findings: %+v", f)
	}
	if f[0].Range.Start.Line != 20 || f[0].Range.Start.Column != 25 || f[0].Range.End.Column != 43 {
		t.Errorf("range %+v, want 20:25-20:43", f[0].Range)
	}
	if len(f[0].Fixes) == 0 || !strings.Contains(f[0].Fixes[0].Edits[0].NewText, "${Bucket.Arn}/*") {
		t.Errorf("fixes: %+v", f[0].Fixes)
	}
}

func TestCheckSARIF(t *testing.T) {
	dir := writeFiles(t, map[string]string{"t.yaml": mismatchTemplate})
	_, out, _ := runCLI("check", "--format", "sarif", dir)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Fixes  []any  `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Tool.Driver.Rules) < 7 {
		t.Fatalf("bad SARIF header: %+v", log)
	}
	if r := log.Runs[0].Tool.Driver.Rules[0]; !strings.Contains(r.HelpURI, "#"+r.ID) {
		t.Errorf("helpUri %q does not point at the rule", r.HelpURI)
	}
	if len(log.Runs[0].Results) == 0 || len(log.Runs[0].Results[0].Fixes) == 0 {
		t.Errorf("results: %+v", log.Runs[0].Results)
	}
}

func TestCheckDirectorySkipsUnknown(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"package.json":          `{"name":"x"}`,
		"node_modules/a/t.yaml": mismatchTemplate,
		".aws-sam/build/t.yaml": mismatchTemplate,
		"docker-compose.yml":    "services: {}\n",
		"policies/ok.json":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`,
	})
	code, out, _ := runCLI("check", "--format", "json", dir)
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if strings.Contains(out, "package.json") || strings.Contains(out, "node_modules") || strings.Contains(out, ".aws-sam") || strings.Contains(out, "docker-compose") {
		t.Errorf("unknown or skipped files reported:\n%s", out)
	}
	if !strings.Contains(out, "ok.json") {
		t.Errorf("policy file missing:\n%s", out)
	}
}

func TestCheckExitCodes(t *testing.T) {
	dir := writeFiles(t, map[string]string{"t.yaml": mismatchTemplate})
	if code, _, errs := runCLI("check", filepath.Join(dir, "missing.yaml")); code != 2 || errs == "" {
		t.Errorf("unreadable path: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := runCLI("check", "--format", "xml", dir); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
	if code, _, _ := runCLI("check"); code != 2 {
		t.Errorf("no path: exit %d", code)
	}
	if code, _, _ := runCLI("check", "--fail-on", "warning", dir); code != 1 {
		t.Errorf("--fail-on warning: exit %d", code)
	}
	if code, _, _ := runCLI("check", "--help"); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "iamlens ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestCheckConfigFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"t.yaml":        mismatchTemplate,
		".iamlens.yaml": "rules:\n  action-resource-mismatch: off\n",
	})
	code, out, _ := runCLI("check", dir)
	if code != 0 || strings.Contains(out, "action-resource-mismatch") {
		t.Errorf("rule turned off in .iamlens.yaml still reported (exit %d):\n%s", code, out)
	}
}
