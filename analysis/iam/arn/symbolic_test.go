package arn

import (
	"strings"
	"testing"

	"github.com/iamlens/iamlens/analysis/value"
)

// sv builds a value.Str from a compact notation: {X} is the Ref of S3
// bucket X, {P:Name} a parameter, {AWS::...} a pseudo parameter, {?} an
// unknown hole, {I:Name} an import, {A:X.Arn} a GetAtt, {R:X} the Ref of a
// resource of unknown type. Everything else is literal.
func sv(s string) value.Str {
	var parts []value.Str
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			parts = append(parts, value.Lit(s))
			break
		}
		parts = append(parts, value.Lit(s[:i]))
		j := strings.IndexByte(s[i:], '}') + i
		h := s[i+1 : j]
		s = s[j+1:]
		var p value.Part
		switch {
		case h == "?":
			p = value.Part{Kind: value.Unknown}
		case strings.HasPrefix(h, "AWS::"):
			p = value.Part{Kind: value.Pseudo, Ref: h}
		case strings.HasPrefix(h, "P:"):
			p = value.Part{Kind: value.Parameter, Ref: h[2:]}
		case strings.HasPrefix(h, "I:"):
			p = value.Part{Kind: value.Import, Ref: h[2:]}
		case strings.HasPrefix(h, "A:"):
			ref, attr, _ := strings.Cut(h[2:], ".")
			p = value.Part{Kind: value.ResourceAttr, Ref: ref, Attr: attr}
		case strings.HasPrefix(h, "R:"):
			p = value.Part{Kind: value.ResourceRef, Ref: h[2:]}
		default:
			p = value.Part{Kind: value.ResourceRef, Ref: h, Type: "AWS::S3::Bucket"}
		}
		parts = append(parts, value.HoleOf(p))
	}
	return value.Concat(parts...)
}

const (
	T = value.True
	F = value.False
	M = value.Maybe
)

func TestCovers(t *testing.T) {
	tests := []struct {
		pattern, resource string
		want              value.Tri
	}{
		// Literals behave like MatchGlob.
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/k", T},
		{"arn:aws:s3:::b", "arn:aws:s3:::b/k", F},
		{"*", "arn:aws:s3:::b", T},
		{"arn:aws:s3:::b?", "arn:aws:s3:::bx", T},
		// The partition hole is "aws".
		{"arn:{AWS::Partition}:s3:::b", "arn:aws:s3:::b", T},
		{"arn:aws:s3:::b", "arn:{AWS::Partition}:s3:::b", T},
		{"arn:aws-cn:s3:::b", "arn:{AWS::Partition}:s3:::b", F},
		{"arn:{AWS::Partition}:s3:::b", "arn:{AWS::Partition}:s3:::b", T},
		// Same ref on both sides.
		{"arn:aws:s3:::{B}/*", "arn:aws:s3:::{B}/k", T},
		{"arn:aws:s3:::{B}", "arn:aws:s3:::{B}", T},
		{"arn:aws:s3:::{B}", "arn:aws:s3:::{B}/k", F},
		{"arn:aws:s3:::{B}/*", "arn:aws:s3:::{B}", F},
		// Wildcards cover holes whatever they hold.
		{"arn:aws:s3:::*", "arn:aws:s3:::{B}", T},
		{"arn:aws:s3:::*/*", "arn:aws:s3:::{B}/k", T},
		{"arn:aws:s3:::*/*", "arn:aws:s3:::{B}", F}, // a bucket name has no '/'
		{"arn:aws:s3:::*", "arn:aws:s3:::{P:Name}", T},
		// Ref against literal: deployment decides.
		{"arn:aws:s3:::{B}", "arn:aws:s3:::data", M},
		{"arn:aws:s3:::data", "arn:aws:s3:::{B}", M},
		{"arn:aws:s3:::data/*", "arn:aws:s3:::{B}/k", M},
		{"arn:aws:s3:::data-*", "arn:aws:s3:::{B}", M},
		// A bucket name cannot hold '/', so this literal can't be one.
		{"arn:aws:s3:::a/b", "arn:aws:s3:::{B}", F},
		// Two template buckets are different buckets.
		{"arn:aws:s3:::{B}", "arn:aws:s3:::{C}", F},
		{"arn:aws:s3:::{B}/*", "arn:aws:s3:::{C}/k", F},
		{"arn:aws:s3:::{B}*", "arn:aws:s3:::{C}", F},
		// Parameters, imports, unknowns: anything.
		{"arn:aws:s3:::{P:Bucket}/*", "arn:aws:s3:::{B}/k", M},
		{"arn:aws:s3:::{P:Bucket}", "arn:aws:s3:::{B}/k", M}, // the parameter may be "*"
		{"arn:aws:s3:::{P:Bucket}/*", "arn:aws:s3:::{P:Bucket}/k", T},
		{"arn:aws:s3:::{P:A}/*", "arn:aws:s3:::{P:B}/k", M},
		{"{I:Exported}", "arn:aws:s3:::b", M},
		{"{?}", "arn:aws:s3:::b", M},
		{"{?}", "{?}", M}, // two unknowns are unrelated
		{"arn:aws:s3:::b", "{?}", M},
		{"x{?}", "y", F},
		{"{A:Role.Arn}", "{A:Role.Arn}", T},
		{"{A:Role.Arn}", "arn:aws:iam::1:role/r", M},
		// Pseudo parameters.
		{"arn:aws:sqs:{AWS::Region}:{AWS::AccountId}:q", "arn:aws:sqs:{AWS::Region}:{AWS::AccountId}:q", T},
		{"arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sqs:{AWS::Region}:{AWS::AccountId}:q", M},
		{"arn:aws:sqs:*:*:q", "arn:aws:sqs:{AWS::Region}:{AWS::AccountId}:q", T},
		{"arn:aws:sqs:{AWS::Region}:{AWS::AccountId}:q", "arn:aws:sqs:::q", F}, // they are not empty
		{"arn:aws:sqs:{AWS::Region}::q", "arn:aws:sqs:{AWS::AccountId}::q", M},
		// A ref whose type is unknown may hold '/' but is still its own resource.
		{"arn:aws:sns:us-east-1:1:{R:Topic}", "arn:aws:sns:us-east-1:1:a/b", M},
		{"{R:TopicA}", "{R:TopicB}", F},
		// Literal '*' in a resource is just a character.
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/*", T},
		{"arn:aws:s3:::b/x", "arn:aws:s3:::b/*", F},
	}
	for _, tt := range tests {
		if got := Covers(sv(tt.pattern), sv(tt.resource)); got != tt.want {
			t.Errorf("Covers(%s, %s) = %v, want %v", tt.pattern, tt.resource, got, tt.want)
		}
	}
}

func TestCoversKeys(t *testing.T) {
	tests := []struct {
		pattern, prefix string
		all, some       value.Tri
	}{
		{"arn:aws:s3:::{B}/*", "arn:aws:s3:::{B}/", T, T},
		{"arn:aws:s3:::{B}", "arn:aws:s3:::{B}/", F, F}, // the classic mistake
		{"arn:aws:s3:::{B}/logs/*", "arn:aws:s3:::{B}/", F, T},
		{"arn:aws:s3:::{B}/logs/*", "arn:aws:s3:::{B}/logs/", T, T},
		{"arn:aws:s3:::{B}/*.json", "arn:aws:s3:::{B}/", F, T},
		{"arn:aws:s3:::{B}/?*", "arn:aws:s3:::{B}/", T, T},
		{"arn:aws:s3:::{B}/?", "arn:aws:s3:::{B}/", F, T},
		{"arn:aws:s3:::{B}/key", "arn:aws:s3:::{B}/", F, T},
		{"arn:aws:s3:::*", "arn:aws:s3:::{B}/", T, T},
		{"*", "arn:aws:s3:::{B}/", T, T},
		{"arn:aws:s3:::{C}/*", "arn:aws:s3:::{B}/", F, F},
		{"arn:aws:s3:::data/*", "arn:aws:s3:::{B}/", M, M},
		{"arn:aws:s3:::{P:Name}/*", "arn:aws:s3:::{B}/", M, M},
		{"arn:aws:s3:::{B}/{P:Prefix}", "arn:aws:s3:::{B}/", M, M},
		{"arn:aws:s3:::{B}/{P:Prefix}*", "arn:aws:s3:::{B}/", M, T},
		{"arn:aws:s3:::{B}/{B}", "arn:aws:s3:::{B}/", F, T}, // key = the bucket's name
		{"arn:aws:s3:::{B}/", "arn:aws:s3:::{B}/", F, F},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/", T, T},
		{"arn:aws:s3:::b*", "arn:aws:s3:::b/", T, T},
		{"arn:aws:s3:::c/*", "arn:aws:s3:::b/", F, F},
		{"arn:aws:s3:::{?}", "arn:aws:s3:::b/", M, M},
	}
	for _, tt := range tests {
		if got := CoversAll(sv(tt.pattern), sv(tt.prefix)); got != tt.all {
			t.Errorf("CoversAll(%s, %s) = %v, want %v", tt.pattern, tt.prefix, got, tt.all)
		}
		if got := CoversSome(sv(tt.pattern), sv(tt.prefix)); got != tt.some {
			t.Errorf("CoversSome(%s, %s) = %v, want %v", tt.pattern, tt.prefix, got, tt.some)
		}
	}
}

func TestCanMatchFormat(t *testing.T) {
	const (
		bucket      = "arn:${Partition}:s3:::${BucketName}"
		object      = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
		apObject    = "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}"
		accessPoint = "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}"
		mrap        = "arn:${Partition}:s3::${Account}:accesspoint/${AccessPointAlias}"
		logStream   = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"
		dmsTask     = "arn:${Partition}:dms:${Region}:${Account}:task:*"
	)
	tests := []struct {
		resource, format string
		want             bool
	}{
		{"arn:aws:s3:::b", bucket, true},
		{"arn:aws:s3:::b", object, false},
		{"arn:aws:s3:::b", apObject, false},
		{"arn:aws:s3:::b/*", bucket, false},
		{"arn:aws:s3:::b/*", object, true},
		{"arn:aws:s3:::b/", object, false}, // an object name is not empty
		{"*", bucket, true},
		{"*", object, true},
		{"arn:aws:s3:::*", bucket, true},
		{"arn:aws:s3:::*", object, true},
		{"arn:aws:s3:::*", apObject, false},
		{"arn:*:s3:*", apObject, true},
		{"arn:aws:s3:::b*", object, true},
		{"arn:aws:s3:::b?", object, false},
		{"arn:{AWS::Partition}:s3:::{B}", bucket, true},
		{"arn:{AWS::Partition}:s3:::{B}", object, false},
		{"arn:{AWS::Partition}:s3:::{B}/*", bucket, false},
		{"arn:aws:s3:::{P:Bucket}", object, true}, // a parameter may hold anything
		{"arn:aws:s3:::{P:Bucket}", bucket, true},
		{"{P:Arn}", object, true},
		{"arn:{P:Partition}:s3:::b", object, true},
		{"arn:aws:s3:::{?}", object, true},
		{"arn:aws:s3:::{R:Thing}", object, true}, // a ref of unknown type may hold '/'
		{"arn:aws:kms:us-east-1:1:key/k", object, false},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/*", apObject, true},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap", accessPoint, true},
		{"arn:aws:s3:us-east-1:123456789012:accesspoint/ap", apObject, false},
		{"arn:aws:s3::123456789012:accesspoint/a.mrap", mrap, true},
		{"arn:aws:s3::123456789012:accesspoint/a.mrap", accessPoint, false},
		{"arn:aws:s3:{AWS::Region}:{AWS::AccountId}:accesspoint/*", accessPoint, true},
		{"arn:aws:logs:*:*:log-group:/aws/lambda/f:*", logStream, true},
		// A trailing '*' crosses colons, so this could be a stream named
		// "x:log-group:/aws/lambda/f": permissive, as documented.
		{"arn:aws:logs:*:*:log-group:/aws/lambda/f", logStream, true},
		{"arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f", logStream, false},
		{"arn:aws:dms:us-east-1:1:task:x", dmsTask, true},
		{"arn:aws:dms:us-east-1:1:task", dmsTask, false},
	}
	for _, tt := range tests {
		if got := CanMatchFormat(sv(tt.resource), tt.format); got != tt.want {
			t.Errorf("CanMatchFormat(%s, %s) = %v, want %v", tt.resource, tt.format, got, tt.want)
		}
	}
}

func TestValidateS3Str(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"arn:{AWS::Partition}:s3:::{B}", 0},
		{"arn:{AWS::Partition}:s3:::{B}/*", 0},
		{"arn:{AWS::Partition}:s3:::{B}/", 1},
		{"arn:aws:s3:{AWS::Region}:{AWS::AccountId}:{B}", 1},
		{"arn:aws:s3:{AWS::Region}:{AWS::AccountId}:accesspoint/{P:Name}", 0},
		{"{P:Arn}", 0},            // unknowable
		{"arn:aws:s3:{?}:::b", 0}, // unknowable
		{"arn:aws:s3:::{P:B}/", 0},
	}
	for _, tt := range tests {
		if got := ValidateS3Str(sv(tt.in)); len(got) != tt.want {
			t.Errorf("ValidateS3Str(%s) = %q, want %d problems", tt.in, got, tt.want)
		}
	}
	if got := ValidateS3Str(sv("arn:aws:s3:::{B}/")); len(got) != 1 || !strings.Contains(got[0], "${B}/") {
		t.Errorf("problem should show the value as written: %q", got)
	}
}

func BenchmarkCovers(b *testing.B) {
	p, r := sv("arn:{AWS::Partition}:s3:::{B}/logs/*"), sv("arn:{AWS::Partition}:s3:::{B}/logs/2024/01/x.json")
	for b.Loop() {
		Covers(p, r)
	}
}

func BenchmarkCanMatchFormat(b *testing.B) {
	p := sv("arn:{AWS::Partition}:s3:::{B}")
	for b.Loop() {
		CanMatchFormat(p, "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
	}
}

func BenchmarkMatchGlob(b *testing.B) {
	p, s := "arn:aws:s3:::bucket-*/logs/*/*.json", "arn:aws:s3:::bucket-prod/logs/2024/01/02/x.json"
	for b.Loop() {
		MatchGlob(p, s)
	}
}
