package analysis_test

import (
	"testing"

	"github.com/iamlens/iamlens/analysis"
)

// FuzzAnalyze feeds arbitrary text to the whole analysis: it must never
// panic, and every finding and fix must stay inside the document.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}]}`))
	f.Add([]byte("Transform: AWS::Serverless-2016-10-31\nResources:\n  B: {Type: AWS::S3::Bucket}\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - S3ReadPolicy: {BucketName: !GetAtt B.Arn}\n        - Statement: [{Effect: Allow, Action: s3:PutObject, Resource: !GetAtt B.Arn}]\n"))
	f.Add([]byte("Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref B\n      PolicyDocument:\n        Statement:\n          - {Effect: Allow, Principal: '*', Action: 's3:*', Resource: !Sub '${B.Arn}/*'}\n  B: {Type: AWS::S3::Bucket}\n"))
	f.Add([]byte("Resources:\n  X: !If [c, {Type: AWS::S3::Bucket}, !Ref AWS::NoValue]\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		r := analysis.Analyze("fuzz.yaml", text, analysis.Options{})
		for _, fd := range r.Findings {
			if fd.Span.Start < 0 || fd.Span.End > len(text) || fd.Span.Start > fd.Span.End {
				t.Fatalf("%s finding outside the document: %v", fd.Rule, fd.Span)
			}
			for _, fx := range fd.Fixes {
				for _, e := range fx.Edits {
					if e.Span.Start < 0 || e.Span.End > len(text) || e.Span.Start > e.Span.End {
						t.Fatalf("%s fix %q edits outside the document", fd.Rule, fx.Title)
					}
				}
			}
		}
	})
}
