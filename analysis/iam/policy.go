// Package iam is the policy model: documents, statements and their elements,
// each keeping the span it was written at, so that rules and hovers can point
// at the exact action or resource they talk about.
package iam

import (
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// PolicyKind is the role a policy document plays in an access decision.
type PolicyKind uint8

const (
	Identity  PolicyKind = iota // attached to a role, user or group
	Bucket                      // AWS::S3::BucketPolicy or a standalone resource policy
	Trust                       // a role's AssumeRolePolicyDocument
	Endpoint                    // AWS::EC2::VPCEndpoint PolicyDocument
	KeyPolicy                   // AWS::KMS::Key KeyPolicy
	Boundary                    // a permissions boundary
	Resource                    // another resource policy (standalone file with Principal)
)

func (k PolicyKind) String() string {
	switch k {
	case Identity:
		return "identity policy"
	case Bucket:
		return "bucket policy"
	case Trust:
		return "trust policy"
	case Endpoint:
		return "VPC endpoint policy"
	case KeyPolicy:
		return "key policy"
	case Boundary:
		return "permissions boundary"
	}
	return "resource policy"
}

// IsResourcePolicy reports whether statements of this kind carry a Principal.
func (k PolicyKind) IsResourcePolicy() bool {
	return k == Bucket || k == Trust || k == Endpoint || k == KeyPolicy || k == Resource
}

// Policy is one policy document.
type Policy struct {
	Kind PolicyKind
	Node *source.Node // the document node ({"Version":..., "Statement": ...})
	// Owner is the logical id of the template resource that holds the
	// document ("" in a standalone policy file); Name is the policy's name
	// inside its owner when it has one (role inline policies).
	Owner string
	Name  string
	// Synthetic documents (SAM policy templates, AWS managed policies) are not
	// text of this document: their element spans point at Anchor instead.
	Synthetic bool
	Origin    string // "SAM policy template S3ReadPolicy", "AWS managed policy AmazonS3ReadOnlyAccess"
	Anchor    source.Span

	Version      string
	VersionNode  *source.Node
	StatementKey *source.Pair // the "Statement" entry, nil when missing
	Statements   []*Statement
}

// Statement is one statement of a policy.
type Statement struct {
	Policy *Policy
	Index  int
	Node   *source.Node

	Sid        string
	Effect     string // "Allow" or "Deny" as written
	EffectNode *source.Node

	// Principal / NotPrincipal, Action / NotAction, Resource / NotResource:
	// the Not* flags say which key was used.
	Principals   []Principal
	PrincipalKey *source.Pair
	NotPrincipal bool

	Actions   []Element
	ActionKey *source.Pair
	NotAction bool

	Resources   []Element
	ResourceKey *source.Pair
	NotResource bool

	Conditions   []Condition
	ConditionKey *source.Pair
}

// Allow reports whether the statement's effect is Allow.
func (s *Statement) Allow() bool { return s.Effect == "Allow" }

// Span is where the statement is written (its Anchor for synthetic policies).
func (s *Statement) Span() source.Span {
	if s.Policy != nil && s.Policy.Synthetic {
		return s.Policy.Anchor
	}
	if s.Node == nil {
		return source.Span{}
	}
	return s.Node.Span
}

// Element is one value of Action, Resource or a principal list. A value
// written with Fn::If has one Element per branch (Alternative set).
type Element struct {
	Node  *source.Node // the node as written (nil for synthetic values)
	Value value.Str
	// Alternative marks values that come from one branch of Fn::If: the
	// element may or may not be present at deployment.
	Alternative bool
}

// Principal is one principal: Type is "AWS", "Service", "Federated",
// "CanonicalUser" or "*" (for the bare string "*").
type Principal struct {
	Type    string
	Element Element
}

// Condition is one operator/key entry of a Condition block, with its values.
type Condition struct {
	Operator string // as written, e.g. "StringNotEquals", "ForAnyValue:StringLike", "ArnLikeIfExists"
	OpSpan   source.Span
	Key      string // as written, e.g. "aws:SourceVpce"
	KeySpan  source.Span
	Values   []Element
}

// Evaluator turns the value of a policy element (a scalar, a list, or an
// intrinsic function producing either) into its symbolic values: one for
// plain text, one per branch for Fn::If, a hole for what deployment decides.
// Standalone policy files use LiteralEvaluator; templates use the cfn one.
type Evaluator func(*source.Node) []Element

// LiteralEvaluator reads scalars as literal text and anything else as unknown.
func LiteralEvaluator(n *source.Node) []Element {
	if n == nil {
		return nil
	}
	var out []Element
	for _, it := range n.List() {
		if s, ok := it.Str(); ok {
			out = append(out, Element{Node: it, Value: value.Lit(s)})
		} else {
			out = append(out, Element{Node: it, Value: value.UnknownStr()})
		}
	}
	return out
}

func litOf(s string) value.Str { return value.Lit(s) }
func unknownOf() value.Str     { return value.UnknownStr() }
