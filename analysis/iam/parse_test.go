package iam_test

import (
	"testing"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

func TestParsePolicy(t *testing.T) {
	text := `{
  "Version": "2012-10-17",
  "Statement": {
    "Sid": "Read",
    "Effect": "Allow",
    "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/r"]},
    "NotAction": "s3:DeleteObject",
    "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}, "Bool": {"aws:SecureTransport": "false"}}
  }
}`
	root, err := source.ParseJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p := iam.Parse(root, iam.Bucket, iam.LiteralEvaluator)
	if p.Version != "2012-10-17" || len(p.Statements) != 1 {
		t.Fatalf("version %q, %d statements", p.Version, len(p.Statements))
	}
	st := p.Statements[0]
	if st.Sid != "Read" || !st.Allow() || !st.NotAction || !st.NotPrincipal || st.NotResource {
		t.Errorf("statement flags wrong: %+v", st)
	}
	if len(st.Principals) != 2 || st.Principals[0].Type != "AWS" {
		t.Errorf("principals: %+v", st.Principals)
	}
	if len(st.Actions) != 1 || len(st.Resources) != 2 {
		t.Errorf("actions %d resources %d", len(st.Actions), len(st.Resources))
	}
	if got := string([]byte(text)[st.Resources[1].Node.Span.Start:st.Resources[1].Node.Span.End]); got != `"arn:aws:s3:::b/*"` {
		t.Errorf("resource span covers %q", got)
	}
	if len(st.Conditions) != 2 || st.Conditions[0].Operator != "StringNotEquals" || st.Conditions[0].Key != "aws:SourceVpce" || len(st.Conditions[0].Values) != 2 {
		t.Errorf("conditions: %+v", st.Conditions)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, text := range []string{`{}`, `{"Statement": 5}`, `{"Statement": [1, "x", null]}`, `{"Statement": [{"Principal": 7, "Condition": []}]}`} {
		root, err := source.ParseJSON([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		p := iam.Parse(root, iam.Identity, iam.LiteralEvaluator)
		if p == nil {
			t.Fatalf("%s: nil policy", text)
		}
	}
}
