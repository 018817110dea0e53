package access

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// Bucket is an S3 bucket the template creates, or one it only names (a
// literal ARN, a parameter): then its settings are unknown.
type Bucket struct {
	// ID is the logical id for template buckets, the bucket name as
	// written otherwise ("my-data", "${DataBucketName}").
	ID       string
	Resource *cfn.Resource // nil for buckets outside the template
	External bool
	Name     value.Str // the bucket's name (Ref)
	ARN      value.Str // arn:${AWS::Partition}:s3:::name
	objects  value.Str // ARN + "/", the prefix of every object ARN

	BPA BPA
	// AccessControl is the canned ACL ("PublicRead"), "" when not set;
	// ACLNode is where it is written.
	AccessControl string
	ACLNode       *source.Node
	// Ownership is OwnershipControls' ObjectOwnership; "" means the
	// default for new buckets, BucketOwnerEnforced (ACLs disabled).
	Ownership string

	// Encryption is the default SSEAlgorithm ("AES256", "aws:kms",
	// "aws:kms:dsse"), "" when the template sets none (S3 then uses SSE-S3).
	Encryption string
	KMSKey     string // logical id of the template's AWS::KMS::Key, "" otherwise
	KMSKeyText string // how KMSMasterKeyID is written, "" when absent (aws/s3)
	KMSKeyNode *source.Node
	BucketKey  bool

	// Policies are the bucket policies attached (AWS::S3::BucketPolicy).
	Policies []*iam.Policy
	// Public is whether the bucket policy is public, with the public
	// statements and why.
	Public           value.Tri
	PublicStatements []*iam.Statement
	PublicReasons    []string
	// PublicACL is whether AccessControl grants to everyone or every AWS user.
	PublicACL bool

	// key identifies the bucket for quick matching: "ref:<id>" for a
	// template bucket without a literal name, "name:<name>" otherwise.
	key      string
	nameless bool
	// alt is the bucket's ARN spelled from its BucketName expression
	// (!Ref NameParam, !Sub ...): policies often name the bucket that way.
	altName            value.Str
	altARN, altObjects value.Str
	hasAlt             bool
	namedBy            map[string]bool // functions whose statements name this bucket
	// pos is the bucket's index in Report.Buckets, or in Report.External
	// for an external one: candidates come out in that order.
	pos int
}

// BPA is a bucket's Block Public Access configuration, each setting
// three-valued (an expression is Maybe).
type BPA struct {
	BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets value.Tri
	// Default is set when PublicAccessBlockConfiguration is absent: new
	// buckets get all four settings on since April 2023.
	Default bool
	Known   bool         // false for buckets outside the template
	Pair    *source.Pair // the PublicAccessBlockConfiguration entry, nil when absent
}

// AllOn reports whether all four settings are certainly on.
func (b BPA) AllOn() bool {
	return b.Known && b.BlockPublicAcls == value.True && b.IgnorePublicAcls == value.True &&
		b.BlockPublicPolicy == value.True && b.RestrictPublicBuckets == value.True
}

func readBPA(t *cfn.Template, r *cfn.Resource) BPA {
	pp := r.Properties.Pair("PublicAccessBlockConfiguration")
	if pp == nil {
		return BPA{value.True, value.True, value.True, value.True, true, true, nil}
	}
	cfg := pp.Value
	if f, _ := cfg.Intrinsic(); f != "" || cfg == nil || cfg.Kind != source.Mapping {
		return BPA{value.Maybe, value.Maybe, value.Maybe, value.Maybe, false, true, pp}
	}
	get := func(k string) value.Tri {
		n := cfg.Get(k)
		if n == nil {
			return value.False // a key left out is off, as in the S3 API
		}
		return boolNode(t, n)
	}
	return BPA{get("BlockPublicAcls"), get("IgnorePublicAcls"), get("BlockPublicPolicy"), get("RestrictPublicBuckets"), false, true, pp}
}

// boolNode reads a boolean property: true/"true" (any case), false, or an
// expression (Maybe).
func boolNode(t *cfn.Template, n *source.Node) value.Tri {
	vs := t.Eval(n)
	out := value.Tri(255)
	for _, v := range vs {
		s, ok := v.Literal()
		var b value.Tri = value.Maybe
		if ok {
			switch strings.ToLower(s) {
			case "true":
				b = value.True
			case "false":
				b = value.False
			}
		}
		if out == 255 {
			out = b
		} else if out != b {
			out = value.Maybe
		}
	}
	if out == 255 {
		return value.Maybe
	}
	return out
}

// readBucket reads a template bucket's settings.
func readBucket(t *cfn.Template, r *cfn.Resource) *Bucket {
	b := &Bucket{ID: r.ID, Resource: r, Name: t.Ref(r.ID), ARN: t.GetAtt(r.ID, "Arn")}
	b.objects = value.Concat(b.ARN, value.Lit("/"))
	if s, ok := b.Name.Literal(); ok {
		b.key = "name:" + s
	} else {
		b.key, b.nameless = "ref:"+r.ID, true
		if n := r.Prop("BucketName"); n != nil {
			alt := t.EvalOne(n)
			if _, ok := strKey(alt); ok && len(alt.Parts) > 0 {
				b.altName, b.hasAlt = alt, true
				b.altARN = value.Concat(value.Lit("arn:"), value.HoleOf(value.Part{Kind: value.Pseudo, Ref: "AWS::Partition"}), value.Lit(":s3:::"), alt)
				b.altObjects = value.Concat(b.altARN, value.Lit("/"))
			}
		}
	}
	b.BPA = readBPA(t, r)
	if n := r.Prop("AccessControl"); n != nil {
		b.ACLNode = n
		b.AccessControl, _ = n.Str()
		switch b.AccessControl {
		case "PublicRead", "PublicReadWrite", "AuthenticatedRead":
			b.PublicACL = true
		}
	}
	for _, rule := range r.Prop("OwnershipControls").Get("Rules").List() {
		if s, ok := rule.Get("ObjectOwnership").Str(); ok {
			b.Ownership = s
		}
	}
	for _, c := range r.Prop("BucketEncryption").Get("ServerSideEncryptionConfiguration").List() {
		def := c.Get("ServerSideEncryptionByDefault")
		if s, ok := def.Get("SSEAlgorithm").Str(); ok {
			b.Encryption = s
		}
		if k := def.Get("KMSMasterKeyID"); k != nil {
			b.KMSKeyNode = k
			b.KMSKeyText = t.SourceText(k)
			b.KMSKey = keyID(t, k)
		}
		if bk := c.Get("BucketKeyEnabled"); bk != nil {
			b.BucketKey = boolNode(t, bk) == value.True
		}
	}
	return b
}

// keyID finds the template KMS key a KMSMasterKeyID names: !Ref K,
// !GetAtt K.Arn or K.KeyId, or a !Sub of its ARN.
func keyID(t *cfn.Template, n *source.Node) string {
	v := t.EvalOne(n)
	for _, p := range v.Parts {
		if p.Hole && (p.Kind == value.ResourceRef || p.Kind == value.ResourceAttr) && p.Type == "AWS::KMS::Key" {
			return p.Ref
		}
	}
	return ""
}

// bucketOfPolicy finds the bucket an AWS::S3::BucketPolicy applies to:
// `Bucket: !Ref B`, or a name equal to a template bucket's BucketName.
func bucketOfPolicy(t *cfn.Template, r *cfn.Resource, byName map[string]*Bucket) (string, bool) {
	n := r.Prop("Bucket")
	if fn, arg := n.Intrinsic(); fn == "Ref" {
		if id, ok := arg.Str(); ok {
			if res, ok := t.Resources[id]; ok && res.Type == "AWS::S3::Bucket" {
				return id, true
			}
		}
	}
	v := t.EvalOne(n)
	if len(v.Parts) == 1 && v.Parts[0].Hole && v.Parts[0].Kind == value.ResourceRef && v.Parts[0].Type == "AWS::S3::Bucket" {
		return v.Parts[0].Ref, true
	}
	if s, ok := v.Literal(); ok {
		if b, ok := byName[s]; ok {
			return b.ID, true
		}
	}
	return "", false
}

// s3Parts splits an S3 ARN pattern into its bucket part and key part:
// "arn:aws:s3:::my-bucket/logs/*" gives "my-bucket" and "logs/*" (hasKey).
// ok is false for anything that is not an S3 bucket or object ARN.
func s3Parts(v value.Str) (bucket, key value.Str, hasKey, ok bool) {
	// Find the literal ":s3:::" and split after it.
	for i, p := range v.Parts {
		if p.Hole {
			continue
		}
		if j := strings.Index(p.Lit, ":s3:::"); j >= 0 {
			b, k, has := splitSlash(p.Lit[j+len(":s3:::"):], v.Parts[i+1:])
			return b, k, has, len(b.Parts) > 0
		}
	}
	return value.Str{}, value.Str{}, false, false
}

// splitSlash splits the text head followed by parts at its first literal
// "/". Taking the head apart from the parts spares s3Parts copying them
// into one slice first; the results are joined as value.Concat would.
func splitSlash(head string, parts []value.Part) (bucket, key value.Str, hasKey bool) {
	if j := strings.IndexByte(head, '/'); j >= 0 {
		b := value.AppendParts(make([]value.Part, 0, 1), value.Part{Lit: head[:j]})
		k := value.AppendParts(make([]value.Part, 0, 1+len(parts)), value.Part{Lit: head[j+1:]})
		k = value.AppendParts(k, parts...)
		return strOf(b), strOf(k), true
	}
	for i, p := range parts {
		if p.Hole {
			continue
		}
		if j := strings.IndexByte(p.Lit, '/'); j >= 0 {
			var b []value.Part
			if head == "" && j == 0 && joinedAlready(parts[:i]) {
				b = parts[:i:i] // "arn:...:s3:::" ${Bucket} "/..."
			} else {
				b = value.AppendParts(make([]value.Part, 0, i+2), value.Part{Lit: head})
				b = value.AppendParts(b, parts[:i]...)
				b = value.AppendParts(b, value.Part{Lit: p.Lit[:j]})
			}
			k := value.AppendParts(make([]value.Part, 0, len(parts)-i), value.Part{Lit: p.Lit[j+1:]})
			k = value.AppendParts(k, parts[i+1:]...)
			return strOf(b), strOf(k), true
		}
	}
	if head == "" && joinedAlready(parts) {
		return strOf(parts[:len(parts):len(parts)]), value.Str{}, false // "arn:...:s3:::" ${Bucket}
	}
	b := value.AppendParts(make([]value.Part, 0, 1+len(parts)), value.Part{Lit: head})
	return strOf(value.AppendParts(b, parts...)), value.Str{}, false
}

// joinedAlready reports whether parts are as value.AppendParts leaves
// them (no empty literal, no two literals in a row), so that a bucket part
// can share the pattern's parts instead of copying them: the capacity is
// cut to the length, and values are never changed in place.
func joinedAlready(parts []value.Part) bool {
	for i, p := range parts {
		if !p.Hole && (p.Lit == "" || (i > 0 && !parts[i-1].Hole)) {
			return false
		}
	}
	return true
}

// strOf is the value of joined parts; no parts is the empty value, as
// value.Concat gives it.
func strOf(parts []value.Part) value.Str {
	if len(parts) == 0 {
		return value.Str{}
	}
	return value.Str{Parts: parts}
}

// bucketTarget says which bucket a pattern's bucket part names: a template
// bucket's Ref ("ref:B"), a literal name ("name:x"), or "" for a pattern
// that may name many (wildcards, parameters).
func bucketTarget(bucket value.Str) string {
	if s, ok := bucket.Literal(); ok {
		if s == "" || strings.ContainsAny(s, "*?") || strings.Contains(s, "${") {
			return ""
		}
		return "name:" + s
	}
	if len(bucket.Parts) == 1 {
		p := bucket.Parts[0]
		if p.Kind == value.ResourceRef && p.Type == "AWS::S3::Bucket" {
			return "ref:" + p.Ref
		}
	}
	return ""
}

// externalName is the name of a bucket outside the template that a
// pattern's bucket part spells out: literal text, or a parameter or import.
func externalName(bucket value.Str) (string, bool) {
	if len(bucket.Parts) == 0 {
		return "", false
	}
	for _, p := range bucket.Parts {
		if !p.Hole && strings.ContainsAny(p.Lit, "*?") {
			return "", false
		}
		if p.Hole && (p.Kind == value.Unknown || p.Kind == value.ResourceRef || p.Kind == value.ResourceAttr) {
			return "", false
		}
	}
	return bucket.String(), true
}
