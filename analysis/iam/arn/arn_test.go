package arn

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    ARN
		wantErr string // substring of the error, "" = no error
	}{
		{in: "arn:aws:s3:::bucket", want: ARN{"aws", "s3", "", "", "bucket"}},
		{in: "arn:aws:s3:::bucket/key:with:colons", want: ARN{"aws", "s3", "", "", "bucket/key:with:colons"}},
		{in: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*", want: ARN{"aws", "logs", "us-east-1", "123456789012", "log-group:/aws/lambda/f:*"}},
		{in: "arn:aws-cn:s3:us-east-1:123456789012:accesspoint/x", want: ARN{"aws-cn", "s3", "us-east-1", "123456789012", "accesspoint/x"}},
		{in: "arn:*:s3:::*", want: ARN{"*", "s3", "", "", "*"}},
		{in: "*", wantErr: "not an ARN"},
		{in: "", wantErr: "not an ARN"},
		{in: "ARN:aws:s3:::b", wantErr: "lower-case"},
		{in: "arn:aws:s3:bucket", wantErr: "4 of the 6"},
		{in: "arn:aws:s3::bucket", wantErr: "5 of the 6"},
		{in: "arn::s3:::b", wantErr: "empty partition"},
		{in: "arn:aws::::b", wantErr: "empty service"},
		{in: "arn:aws:s*:::b", wantErr: "wildcard"},
		{in: "arn:aws:s3:::", wantErr: "empty resource"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("Parse(%q): %v", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("Parse(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && got != tt.want:
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		case tt.wantErr == "" && got.String() != tt.in:
			t.Errorf("Parse(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"", "", true},
		{"*", "", true},
		{"*", "anything:at/all", true},
		{"?", "", false},
		{"?", "a", true},
		{"?", "é", true}, // one character, two bytes
		{"??", "é", false},
		{"*??", "€", false}, // no half characters
		{"a*b", "ab", true},
		{"a*b", "axxb", true},
		{"a*b", "axxbc", false},
		{"a*b*c", "abbbc", true},
		{"a*a*a*a*b", strings.Repeat("a", 100), false},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-logs/x", true},
		{"arn:aws:s3:::*", "arn:aws:s3:::b/k", true},
		{"arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false}, // case-sensitive
		{"arn:aws:iam::*:role/*", "arn:aws:iam::123:role/a/b", true},
		{"*:log-stream:*", "arn:aws:logs:r:a:log-group:g:log-stream:s", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"**", "x", true},
	}
	for _, tt := range tests {
		if got := MatchGlob(tt.p, tt.s); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", tt.p, tt.s, got, tt.want)
		}
	}
	if !MatchGlobFold("S3:GET*", "s3:GetObject") || MatchGlob("S3:GET*", "s3:GetObject") {
		t.Error("fold")
	}
}

func TestArnLike(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"arn:aws:s3:::b", "arn:aws:s3:::b", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y", true}, // * crosses ':' in the resource
		{"arn:aws:iam::*:role/x", "arn:aws:iam::123456789012:role/x", true},
		{"arn:aws:*:role/x", "arn:aws:iam::123456789012:role/x", false}, // not six parts
		{"arn:*:iam::*:*", "arn:aws:iam::1:role/x", true},
		{"arn:aws:sqs:*:123456789012:*", "arn:aws:sqs:us-east-1:123456789012:q", true},
		{"arn:aws:sqs:us-*:*:*", "arn:aws:sqs:eu-west-1:1:q", false},
		{"arn:aws:s3:::b", "arn:aws:s3:::B", false},
		{"*", "arn:aws:s3:::b", false},
		{"arn:aws:s3:::b", "not-an-arn", false},
		// StringLike's '*' crosses colons where ArnLike's does not.
		{"arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x", false},
	}
	for _, tt := range tests {
		if got := ArnLike(tt.p, tt.s); got != tt.want {
			t.Errorf("ArnLike(%q, %q) = %v, want %v", tt.p, tt.s, got, tt.want)
		}
	}
	if !MatchGlob("arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x") {
		t.Error("MatchGlob should cross colons")
	}
}

func TestValidateS3(t *testing.T) {
	tests := []struct {
		in   string
		want []string // substrings, one per problem, in order
	}{
		{"arn:aws:s3:::bucket", nil},
		{"arn:aws:s3:::bucket/*", nil},
		{"arn:aws:s3:::bucket/prefix/", nil}, // a folder-marker key: legal
		{"arn:aws:s3:::*", nil},
		{"arn:aws:s3:::bucket-*/logs/*", nil},
		{"arn:aws:s3:*:*:bucket", nil}, // '*' may match the empty region
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/x", nil},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/x/object/*", nil},
		{"arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", nil},
		{"arn:aws:s3:*:123456789012:accesspoint/*", nil},
		{"arn:aws:s3:us-west-2:123456789012:job/*", nil},
		{"arn:aws:s3:::accesspoint/x", nil}, // object x of bucket "accesspoint"
		{"arn:aws:s3:us-east-1:123:bucket", []string{"no region or account"}},
		{"arn:aws:s3::123456789012:bucket/*", []string{"no region or account"}},
		{"arn:aws:s3:us-east-1::bucket", []string{"no region or account"}},
		{"arn:aws:s3:us-*::bucket", []string{"no region or account"}},
		{"arn:aws:s3:::", []string{"empty resource"}},
		{"arn:aws:s3:::/key", []string{"bucket name is empty"}},
		{"arn:aws:s3:::bucket/", []string{"trailing '/'"}},
		{"arn:aws:s3:::bucket:x", []string{"cannot contain ':'"}},
		{"arn:aws:s3::bucket", []string{"5 of the 6"}},
		{"arn:aws:s3:bucket", []string{"4 of the 6"}},
		{"arn:aws:kms:::bucket", []string{"not an S3 ARN"}},
		{"arn:aws:s3:us-east-1::accesspoint/x", []string{"needs the account id"}},
		{"arn:aws:s3::123456789012:job/x", []string{"needs the region"}},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/", []string{"access point name is empty"}},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/x/", []string{"trailing '/' after the access point name"}},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/x/object/", []string{"key cannot be empty"}},
		{"arn:aws:s3:eu-west-1:123456789012:bucket/", []string{"no region or account", "trailing '/'"}},
	}
	for _, tt := range tests {
		got := ValidateS3(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("ValidateS3(%q) = %q, want %d problems %q", tt.in, got, len(tt.want), tt.want)
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("ValidateS3(%q)[%d] = %q, want it to say %q", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}
