package hover

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

const pabKey = "PublicAccessBlockConfiguration"

// The four Block Public Access settings, in the order AWS lists them.
const (
	blockPublicAcls       = "BlockPublicAcls"
	ignorePublicAcls      = "IgnorePublicAcls"
	blockPublicPolicy     = "BlockPublicPolicy"
	restrictPublicBuckets = "RestrictPublicBuckets"
)

var flagOrder = []string{blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets}

// flagDocs say what each setting blocks and what it leaves alone
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
var flagDocs = map[string][2]string{
	blockPublicAcls: {
		"PutBucketAcl and PutObjectAcl calls that set a public ACL fail, and so do PutObject calls that carry one (for example `x-amz-acl: public-read`).",
		"ACLs already in place stay; bucket policies and requests signed with IAM credentials, such as a Lambda role's, are unaffected.",
	},
	ignorePublicAcls: {
		"S3 ignores every public ACL on the bucket and its objects: access granted only to AllUsers or AuthenticatedUsers stops working.",
		"Requests that set public ACLs still succeed; bucket policies and IAM permissions are unaffected.",
	},
	blockPublicPolicy: {
		"PutBucketPolicy with a public policy fails: an AWS::S3::BucketPolicy whose document is public fails to deploy with `API: s3:PutBucketPolicy Access Denied`.",
		"A policy already in place stays; non-public policies (fixed principals, aws:SourceVpce …) and IAM role permissions are unaffected.",
	},
	restrictPublicBuckets: {
		"While the bucket policy is public, only AWS service principals and users of the bucket owner's account get access through it; every cross-account grant stops working, even to named accounts.",
		"Non-public policies and requests from roles of the bucket's own account, such as a Lambda execution role, are unaffected.",
	},
}

// bpa is a bucket's effective bucket-level Block Public Access.
type bpa struct {
	present bool // PublicAccessBlockConfiguration is written
	block   *source.Node
}

// bucketBPA reads a bucket's settings.
func bucketBPA(r *cfn.Resource) bpa {
	p := r.Properties.Pair(pabKey)
	if p == nil {
		return bpa{}
	}
	return bpa{present: true, block: p.Value}
}

// get is a setting's effective value: all four are on when the property is
// absent (new buckets since April 2023); a key left out of a written block
// is off, as in the S3 API.
func (b bpa) get(flag string) value.Tri {
	if !b.present {
		return value.True
	}
	if b.block == nil || b.block.Kind != source.Mapping {
		return value.Maybe // Fn::If or a parameter
	}
	n := b.block.Get(flag)
	if n == nil {
		return value.False
	}
	if s, ok := n.Str(); ok {
		switch strings.ToLower(s) {
		case "true":
			return value.True
		case "false":
			return value.False
		}
	}
	return value.Maybe
}

// why says where a setting's value comes from.
func (b bpa) why(flag string) string {
	switch {
	case !b.present:
		return "the bucket has no PublicAccessBlockConfiguration, so all four settings are on, the default for new buckets since April 2023"
	case b.block == nil || b.block.Kind != source.Mapping:
		return "the configuration is computed at deploy"
	case b.block.Get(flag) == nil:
		return flag + " is left out of PublicAccessBlockConfiguration, which makes it false"
	}
	s, _ := b.block.Get(flag).Str()
	return fmt.Sprintf("%s: %s", flag, s)
}

func onOff(t value.Tri) string {
	switch t {
	case value.True:
		return "on"
	case value.False:
		return "off"
	}
	return "decided at deploy"
}

// policyBucket finds the template bucket a bucket policy is attached to.
func policyBucket(m *model.Model, p *iam.Policy) (*cfn.Resource, bpa, bool) {
	t := m.Template
	if t == nil || p.Owner == "" {
		return nil, bpa{}, false
	}
	owner := t.Resources[p.Owner]
	if owner == nil || owner.Type != "AWS::S3::BucketPolicy" {
		return nil, bpa{}, false
	}
	target := t.EvalOne(owner.Prop("Bucket")).String()
	for _, r := range t.ResourcesOfType("AWS::S3::Bucket") {
		if t.Ref(r.ID).String() == target {
			return r, bucketBPA(r), true
		}
	}
	return nil, bpa{}, false
}

// flagSection explains one Block Public Access setting of a bucket, or the
// whole block.
func flagSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetBucketFlag {
		return
	}
	b := bucketBPA(t.Resource)
	doc, known := flagDocs[t.Flag]
	if t.Flag == "" || !known {
		w.Title(fmt.Sprintf("Block Public Access of bucket %s", t.Resource.ID))
		for _, f := range flagOrder {
			note := ""
			if b.present && b.block != nil && b.block.Kind == source.Mapping && b.block.Get(f) == nil {
				note = " (left out, so false)"
			}
			w.Bullet(fmt.Sprintf("%s: %s%s", w.Code(f), onOff(b.get(f)), note))
		}
		w.Para("None of them affects requests signed with a role of the bucket's account, such as a Lambda function's execution role: they block anonymous and public access only.")
		return
	}
	w.Title(fmt.Sprintf("%s of bucket %s: %s", t.Flag, t.Resource.ID, onOff(b.get(t.Flag))))
	w.Para("Blocks: " + markup(w, doc[0]))
	w.Para("Leaves alone: " + markup(w, doc[1]))
	if b.get(t.Flag) == value.Maybe {
		w.Para("The value is computed at deploy time.")
	}
}

// markup turns the `code` spans of built-in copy into the writer's format.
func markup(w *Writer, s string) string {
	if w.f == Markdown {
		return s
	}
	return strings.ReplaceAll(s, "`", "")
}

// resourceSection summarises a resource from its logical id.
func resourceSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetResource {
		return
	}
	r := t.Resource
	// The reasoner's hovers carry their own heading.
	switch r.Type {
	case "AWS::S3::Bucket":
		if bucketAccess(w, m, r.ID) {
			return
		}
	case "AWS::Serverless::Function", "AWS::Lambda::Function":
		if functionAccess(w, m, r.ID) {
			return
		}
	}
	w.Title(fmt.Sprintf("%s — %s", r.ID, r.Type))
	tpl := m.Template
	switch r.Type {
	case "AWS::S3::Bucket":
		if n, ok := r.Prop("BucketName").Str(); ok {
			w.Para(fmt.Sprintf("Bucket name %s.", w.Code(n)))
		} else if r.Prop("BucketName") == nil {
			w.Para("CloudFormation generates the bucket name; refer to it with " + w.Code("!Ref "+r.ID) + " and to its ARN with " + w.Code("!GetAtt "+r.ID+".Arn") + ".")
		}
		b := bucketBPA(r)
		var parts []string
		for _, f := range flagOrder {
			parts = append(parts, fmt.Sprintf("%s %s", f, onOff(b.get(f))))
		}
		if !b.present {
			w.Para("Block Public Access: all four settings on (no PublicAccessBlockConfiguration: the default for new buckets since April 2023).")
		} else {
			w.Para("Block Public Access: " + strings.Join(parts, ", ") + ".")
		}
		if alg := sseAlgorithm(r); alg == "aws:kms" || alg == "aws:kms:dsse" {
			w.Para("Encrypted with a KMS key: readers need kms:Decrypt and writers kms:GenerateDataKey on it, besides their S3 permissions.")
		}
	case "AWS::Serverless::Function", "AWS::Lambda::Function":
		functionSummary(w, tpl, r)
	case "AWS::IAM::Role":
		if r.Implicit {
			w.Para(fmt.Sprintf("Created by SAM for function %s from its Policies.", w.Code(r.Origin)))
			return
		}
		var fns []string
		for _, fn := range tpl.ResourcesOfType("AWS::Lambda::Function", "AWS::Serverless::Function") {
			if refersTo(tpl, fn.Prop("Role"), r.ID) {
				fns = append(fns, fn.ID)
			}
		}
		inline := len(r.Prop("Policies").List())
		managed := len(r.Prop("ManagedPolicyArns").List())
		w.Para(fmt.Sprintf("%d inline %s, %d managed %s.", inline, plural(inline, "policy", "policies"), managed, plural(managed, "policy", "policies")))
		if len(fns) > 0 {
			w.Para(fmt.Sprintf("Execution role of %s.", names(w, fns)))
		}
	case "AWS::S3::BucketPolicy":
		w.Para(fmt.Sprintf("Policy of bucket %s.", w.Code(tpl.EvalOne(r.Prop("Bucket")).String())))
	}
}

// functionSummary names a function's role and network placement.
func functionSummary(w *Writer, t *cfn.Template, r *cfn.Resource) {
	if rt, ok := r.Prop("Runtime").Str(); ok {
		w.Para(fmt.Sprintf("Runtime %s.", w.Code(rt)))
	}
	if role := r.Prop("Role"); role != nil {
		w.Para(fmt.Sprintf("Runs as role %s.", w.Code(t.EvalOne(role).String())))
	} else if r.Type == "AWS::Serverless::Function" {
		n := len(r.Prop("Policies").List())
		w.Para(fmt.Sprintf("Runs as role %s, which SAM creates from its %d Policies %s.", w.Code(r.ID+"Role"), n, plural(n, "entry", "entries")))
	}
	if r.Prop("VpcConfig") != nil {
		w.Para("Runs in a VPC: it reaches S3 only through an S3 gateway endpoint, an interface endpoint or a NAT gateway on its subnets' routes.")
	}
}

// sseAlgorithm is the bucket's default encryption algorithm, "" if none.
func sseAlgorithm(r *cfn.Resource) string {
	enc := r.Prop("BucketEncryption").Get("ServerSideEncryptionConfiguration")
	for _, rule := range enc.List() {
		if s, ok := rule.Get("ServerSideEncryptionByDefault").Get("SSEAlgorithm").Str(); ok {
			return s
		}
	}
	return ""
}
