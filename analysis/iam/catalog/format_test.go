package catalog

import (
	"regexp"
	"testing"

	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/value"
)

// TestFormatsAgainstArn runs arn.CanMatchFormat over every ARN format of
// the catalog: "*" matches all of them, and so does each format with its
// variables filled in.
func TestFormatsAgainstArn(t *testing.T) {
	vars := regexp.MustCompile(`\$\{[^}]*\}`)
	n := 0
	for _, svc := range Services() {
		for _, rt := range ServiceResources(svc) {
			n++
			if !arn.CanMatchFormat(value.Lit("*"), rt.ARN) {
				t.Errorf("%s/%s: * does not match %s", svc, rt.Name, rt.ARN)
			}
			example := vars.ReplaceAllString(rt.ARN, "x1")
			if !arn.CanMatchFormat(value.Lit(example), rt.ARN) {
				t.Errorf("%s/%s: %s does not match %s", svc, rt.Name, example, rt.ARN)
			}
		}
	}
	if n < 2000 {
		t.Errorf("only %d resource types", n)
	}
}

// TestGrantsNothing is the rule the catalog and arn packages exist for:
// an action whose resource types no Resource can match grants nothing.
func TestGrantsNothing(t *testing.T) {
	grants := func(action, resource string) bool {
		a, ok := Lookup(action)
		if !ok {
			t.Fatalf("no %s", action)
		}
		if a.WildcardOnly() {
			return resource == "*"
		}
		for _, r := range a.Resources() {
			if arn.CanMatchFormat(value.Lit(resource), r.ARN) {
				return true
			}
		}
		return false
	}
	tests := []struct {
		action, resource string
		want             bool
	}{
		{"s3:GetObject", "arn:aws:s3:::b", false},
		{"s3:GetObject", "arn:aws:s3:::b/*", true},
		{"s3:PutObject", "arn:aws:s3:::b", false},
		{"s3:ListBucket", "arn:aws:s3:::b/*", false},
		{"s3:ListBucket", "arn:aws:s3:::b", true},
		{"s3:ListBucket", "arn:aws:s3:::*", true},
		{"s3:GetObject", "*", true},
		{"s3:ListAllMyBuckets", "arn:aws:s3:::*", false},
		{"s3:ListAllMyBuckets", "*", true},
		{"s3:GetObject", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k", true},
		{"kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/abc", true},
		{"kms:Decrypt", "arn:aws:s3:::b/*", false},
		{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f", true},
		{"logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*", true},
	}
	for _, tt := range tests {
		if got := grants(tt.action, tt.resource); got != tt.want {
			t.Errorf("%s on %s grants something = %v, want %v", tt.action, tt.resource, got, tt.want)
		}
	}
}
