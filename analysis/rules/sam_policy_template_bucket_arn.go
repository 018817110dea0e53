package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

var samPolicyTemplateBucketARN = register(&Rule{
	ID:       "sam-policy-template-bucket-arn",
	Severity: diag.Error,
	Summary:  "An S3 SAM policy template's BucketName is given an ARN or a bucket/prefix: SAM builds malformed ARNs.",
	Doc: "`S3ReadPolicy`, `S3WritePolicy`, `S3CrudPolicy` and `S3FullAccessPolicy` take a bucket *name*: SAM " +
		"writes `arn:${AWS::Partition}:s3:::${BucketName}` and `.../${BucketName}/*`. Given `!GetAtt Bucket.Arn` " +
		"or `arn:aws:s3:::name`, the resources become `arn:aws:s3:::arn:aws:s3:::name`, which match nothing, and " +
		"the function's calls fail with AccessDenied; a `bucket/prefix` value gives `bucket/prefix` as the bucket " +
		"ARN, so bucket actions such as ListBucket match nothing. Fix: pass `!Ref Bucket` (the name).",
	Kinds: []diag.Kind{diag.KindSAM},
	Check: checkSAMPolicyTemplateBucketARN,
})

var s3Templates = map[string]bool{"S3ReadPolicy": true, "S3WritePolicy": true, "S3CrudPolicy": true, "S3FullAccessPolicy": true}

func checkSAMPolicyTemplateBucketARN(c *Context) {
	for _, f := range c.Template.Functions() {
		if !f.Serverless {
			continue
		}
		for _, it := range f.Prop("Policies").List() {
			if it.Kind != source.Mapping || len(it.Pairs) != 1 || !s3Templates[it.Pairs[0].Key] {
				continue
			}
			name := it.Pairs[0].Key
			v := it.Pairs[0].Value.Get("BucketName")
			if v == nil {
				continue
			}
			kind, bucket := bucketNameShape(c.Template, v)
			if kind == "" {
				continue
			}
			built := "arn:aws:s3:::" + c.Template.EvalOne(v).String()
			consequence := "which names no bucket, so the policy template grants nothing"
			if kind == "a bucket/prefix path" {
				consequence = "as the bucket ARN, which names no bucket, so ListBucket and the policy template's other bucket actions match nothing"
			}
			msg := fmt.Sprintf("%s's BucketName takes a bucket name, but %s is %s: SAM builds %s, %s and %s's calls fail with AccessDenied. Pass the bucket name",
				name, c.Template.SourceText(v), kind, built, consequence, f.ID)
			var fixes []diag.Fix
			if bucket != "" {
				ref := edit.RenderRef(bucket, c.Style())
				msg += ": " + ref
				fixes = append(fixes, diag.Fix{Title: "Pass the bucket name: " + ref, Edits: []diag.Edit{edit.Replace(v, ref)}, Preferred: true})
			} else if lit, ok := v.Str(); ok {
				nameOnly := literalBucketName(lit)
				msg += ": " + nameOnly
				fixes = append(fixes, replaceFix("Pass the bucket name "+nameOnly, v, nameOnly, c))
			}
			c.Report(v.Span, msg+".", fixes...)
		}
	}
}

// bucketNameShape says what is wrong with a BucketName value ("" when it
// looks like a name) and the template bucket it means, if any.
func bucketNameShape(t *cfn.Template, v *source.Node) (kind, bucket string) {
	if fn, arg := v.Intrinsic(); fn == "Fn::GetAtt" {
		if id, attr, ok := cfn.GetAttTarget(arg); ok && attr == "Arn" {
			if r, ok := t.Resources[id]; ok && r.Type == "AWS::S3::Bucket" {
				return "the bucket's ARN", id
			}
			return "an ARN", ""
		}
	}
	val := t.EvalOne(v)
	text := val.String()
	refOf := func() string {
		for _, p := range val.Parts {
			if p.Hole && p.Type == "AWS::S3::Bucket" && (p.Kind == value.ResourceRef || p.Kind == value.ResourceAttr) {
				return p.Ref
			}
		}
		return ""
	}
	switch {
	case strings.HasPrefix(text, "arn:"):
		return "an ARN", refOf()
	case len(val.Parts) > 0 && !val.Parts[0].Hole && strings.Contains(val.Parts[len(val.Parts)-1].Lit, "/"),
		len(val.Parts) == 1 && !val.Parts[0].Hole && strings.Contains(text, "/"):
		return "a bucket/prefix path", refOf()
	}
	if len(val.Parts) > 1 {
		for _, p := range val.Parts[1:] {
			if !p.Hole && strings.HasPrefix(p.Lit, "/") {
				return "a bucket/prefix path", refOf()
			}
		}
	}
	return "", ""
}

// literalBucketName cuts "arn:aws:s3:::name/prefix" down to "name".
func literalBucketName(s string) string {
	if i := strings.Index(s, ":::"); i >= 0 {
		s = s[i+3:]
	}
	name, _, _ := strings.Cut(s, "/")
	return name
}
