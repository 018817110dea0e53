package analysis_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/diag"
)

// sharedDir finds the shared folder beside the checkout, or "".
func sharedDir() string {
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "..", "shared")
		if st, err := os.Stat(filepath.Join(p, "corpus")); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func TestKinds(t *testing.T) {
	cases := []struct {
		text string
		want diag.Kind
	}{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, diag.KindIdentityPolicy},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`, diag.KindResourcePolicy},
		{"AWSTemplateFormatVersion: '2010-09-09'\n", diag.KindCloudFormation},
		{"Resources:\n  B:\n    Type: AWS::S3::Bucket\n", diag.KindCloudFormation},
		{"Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", diag.KindSAM},
		{"Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", diag.KindSAM},
		{`{"name":"x","version":"1.0.0"}`, diag.KindUnknown},
		{"services:\n  web:\n    image: nginx\n", diag.KindUnknown},
		{`{"compilerOptions":{"strict":true}}`, diag.KindUnknown},
		{"", diag.KindUnknown},
		{"\x00\x01\x02binary\xff\xfe", diag.KindUnknown},
	}
	for _, c := range cases {
		r := analysis.Analyze("f", []byte(c.text), analysis.Options{})
		if r.Kind != c.want {
			t.Errorf("%q: kind %s, want %s", c.text, r.Kind, c.want)
		}
		if c.want == diag.KindUnknown && len(r.Findings) > 0 {
			t.Errorf("%q: unknown documents get no findings, got %v", c.text, r.Findings)
		}
	}
}

// TestCorpus analyses every template of the public corpus: no panic, a
// result for every file, and every finding inside its document.
func TestCorpus(t *testing.T) {
	shared := sharedDir()
	if shared == "" {
		t.Skip("corpus not found beside the checkout")
	}
	root := filepath.Join(shared, "corpus", "serverless-patterns")
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			switch strings.ToLower(filepath.Ext(p)) {
			case ".yaml", ".yml", ".json", ".template":
				files = append(files, p)
			}
		}
		return nil
	})
	if len(files) < 500 {
		t.Fatalf("found only %d corpus files", len(files))
	}
	kinds := map[diag.Kind]int{}
	rulesSeen := map[string]int{}
	for _, p := range files {
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", p, r)
				}
			}()
			r := analysis.Analyze(p, text, analysis.Options{})
			if r == nil || r.Doc == nil {
				t.Errorf("%s: no result", p)
				return
			}
			kinds[r.Kind]++
			for _, f := range r.Findings {
				rulesSeen[f.Rule]++
				if f.Span.Start < 0 || f.Span.End > len(text) || f.Span.Start > f.Span.End {
					t.Errorf("%s: %s finding outside the document: %v", p, f.Rule, f.Span)
				}
				for _, fx := range f.Fixes {
					for _, e := range fx.Edits {
						if e.Span.Start < 0 || e.Span.End > len(text) || e.Span.Start > e.Span.End {
							t.Errorf("%s: %s fix %q edits outside the document", p, f.Rule, fx.Title)
						}
					}
				}
			}
		}()
	}
	t.Logf("%d files: kinds %v; findings by rule %v", len(files), kinds, rulesSeen)
}

func readCorpus(b *testing.B, rel string) []byte {
	shared := sharedDir()
	if shared == "" {
		b.Skip("corpus not found beside the checkout")
	}
	text, err := os.ReadFile(filepath.Join(shared, "corpus", rel))
	if err != nil {
		b.Skip(err)
	}
	return text
}

// Benchmark20KB analyses a ~20 KB SAM template of the corpus.
func Benchmark20KB(b *testing.B) {
	text := readCorpus(b, "serverless-patterns/apigw-lambda-opensearch-serverless-nextgen/template.yaml")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		analysis.Analyze("template.yaml", text, analysis.Options{})
	}
}

// BenchmarkSynthetic1MBYAML analyses the 1 MB synthetic template.
func BenchmarkSynthetic1MBYAML(b *testing.B) {
	text := readCorpus(b, "synthetic/synthetic-1mb.yaml")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		analysis.Analyze("synthetic-1mb.yaml", text, analysis.Options{})
	}
}

// BenchmarkGenerated1MBJSON analyses a ~1 MB JSON template made here.
func BenchmarkGenerated1MBJSON(b *testing.B) {
	text := GenerateJSONTemplate(1 << 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		analysis.Analyze("big.json", text, analysis.Options{})
	}
}

// GenerateJSONTemplate writes a CloudFormation template of about size
// bytes: buckets with policies, roles with inline policies and functions.
func GenerateJSONTemplate(size int) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    "Bucket%[1]d": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}},
    "Bucket%[1]dPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket%[1]d"}, "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [{"Fn::GetAtt": ["Bucket%[1]d", "Arn"]}, {"Fn::Sub": "${Bucket%[1]d.Arn}/*"}], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
    "Role%[1]d": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], "Policies": [{"PolicyName": "data", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": {"Fn::Sub": "${Bucket%[1]d.Arn}/*"}}, {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Bucket%[1]d", "Arn"]}}]}}]}},
    "Function%[1]d": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "app.handler", "Role": {"Fn::GetAtt": ["Role%[1]d", "Arn"]}, "Code": {"ZipFile": "def handler(e, c): pass"}, "Environment": {"Variables": {"BUCKET": {"Ref": "Bucket%[1]d"}}}}}`, i)
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String())
}
