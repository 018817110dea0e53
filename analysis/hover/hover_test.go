package hover_test

import (
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis"
	"github.com/iamlens/iamlens/analysis/hover"
	"github.com/iamlens/iamlens/analysis/source"
)

const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: false
  Data:
    Type: AWS::S3::Bucket
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement:
          - Sid: PublicRead
            Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '${Site.Arn}/*'
          - Sid: FromEndpoint
            Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '${Site.Arn}/*'
            Condition:
              StringEquals:
                aws:SourceVpce: vpce-1234567
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Statement:
          - Sid: Anyone
            Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '${Data.Arn}/*'
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: S3Access
          PolicyDocument:
            Statement:
              - Sid: ReadData
                Effect: Allow
                Action: [s3:GetObject, s3:ListBucket]
                Resource: !GetAtt Data.Arn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Role: !GetAtt Role.Arn
`

func hoverAt(t *testing.T, text, at string, delta int, f hover.Format) string {
	t.Helper()
	res := analysis.Analyze("template.yaml", []byte(text), analysis.Options{})
	i := strings.Index(text, at)
	if i < 0 {
		t.Fatalf("%q not in the template", at)
	}
	h, ok := hover.At(res.Model, i+delta, f)
	if !ok {
		t.Fatalf("no hover at %q", at)
	}
	if got := text[h.Span.Start:h.Span.End]; !strings.Contains(got, strings.TrimSpace(at[:min(len(at), 3)])) {
		t.Errorf("hover span %q does not cover %q", got, at)
	}
	return h.Text
}

func TestHoverTexts(t *testing.T) {
	cases := []struct {
		name, at string
		delta    int
		want     []string
	}{
		{"action", "s3:ListBucket]", 3, []string{"s3:ListBucket", "List", "bucket ARN such as `arn:aws:s3:::bucket`"}},
		{"identity statement", "Sid: ReadData", 1, []string{"ReadData", "inline policy `S3Access` of role `Role`", "Functions using this policy's role: `Fn`", "never requests signed with role `Role`'s credentials"}},
		{"public statement, BPA off", "Sid: PublicRead", 1, []string{"Public by S3's definition", "BlockPublicPolicy off", "RestrictPublicBuckets is off"}},
		{"non-public statement", "Sid: FromEndpoint", 1, []string{"Not public", "aws:SourceVpce"}},
		{"public statement, BPA default", "Sid: Anyone", 1, []string{"Public by S3's definition", "BlockPublicPolicy on", "April 2023", "s3:PutBucketPolicy Access Denied"}},
		{"flag", "BlockPublicPolicy: false", 2, []string{"BlockPublicPolicy of bucket Site: off", "Blocks:", "Leaves alone:"}},
		{"block", "PublicAccessBlockConfiguration:", 2, []string{"`IgnorePublicAcls`: off (left out, so false)", "`BlockPublicAcls`: on"}},
		{"resource id", "Data:\n", 1, []string{"Data — S3 bucket", "all four settings on"}},
		{"role id", "Role:\n", 1, []string{"Execution role of `Fn`"}},
		{"bucket ARN", "!GetAtt Data.Arn", 10, []string{"bucket `Data` of this template itself", "Serves `s3:ListBucket`", "Does not serve `s3:GetObject`"}},
	}
	for _, c := range cases {
		text := hoverAt(t, template, c.at, c.delta, hover.Markdown)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: hover lacks %q:\n%s", c.name, w, text)
			}
		}
	}
}

func TestPlainTextHasNoMarkup(t *testing.T) {
	text := hoverAt(t, template, "Sid: Anyone", 1, hover.PlainText)
	if strings.Contains(text, "`") || strings.Contains(text, "**") {
		t.Errorf("plain text hover has markup:\n%s", text)
	}
}

var _ = source.Span{}
