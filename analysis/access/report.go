// Package access is the reasoner: for every function × bucket × S3 action
// of a template it decides allowed, denied or unknown, following function →
// execution role → policy statements → bucket policy → Block Public Access
// → KMS key → network path, and keeps the reasons.
//
// Unknown is a value: a role, policy or bucket outside the template, a
// parameter, a condition on something only the request knows. Verdicts are
// "certainly allowed", "certainly denied" and "unknown"; the rules turn
// only certain ones into findings.
package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// Report is the access view of a template.
type Report struct {
	Functions []*FunctionAccess
	// Buckets are the template's buckets in document order; External are
	// the buckets its policies name but do not create.
	Buckets  []*Bucket
	External []*Bucket
	// Synthetic are the policies the template brings in without writing
	// them: AWS managed policies and expanded SAM policy templates.
	Synthetic []*iam.Policy
	// KMSKeys are the template's AWS::KMS::Key resources by logical id.
	KMSKeys map[string]*KMSKey

	t      *cfn.Template
	byID   map[string]*FunctionAccess
	bucket map[string]*Bucket
	// served indexes, for statement hovers, which function × bucket
	// decisions each statement takes part in.
	served map[*iam.Statement][]Use
}

// FunctionAccess is what one function can do to S3.
type FunctionAccess struct {
	ID       string
	Function *cfn.Function
	// UsesS3: the role allows (or may allow) S3 actions, or the function is
	// handed a bucket.
	UsesS3  bool
	Role    *Role
	Network *network.FunctionPath // nil when the network report has none
	Buckets []*BucketAccess
	// Unknown says why some answers for this function stay unknown.
	Unknown []string
	// Refs are the template buckets the function is handed (environment
	// variables and other properties that Ref, GetAtt or Sub a bucket).
	Refs []BucketRef
}

// BucketRef is one place where a function is handed a bucket.
type BucketRef struct {
	Bucket string // logical id
	Node   *source.Node
	Path   string // "Environment.Variables.BUCKET"
}

// Verdict is the decision for one action.
type Verdict uint8

const (
	NotAllowed Verdict = iota // no policy allows it (implicit deny)
	Allowed
	Denied // an explicit Deny certainly applies
	Unknown
)

// Decision is one action's verdict for a function and a bucket, with the
// statements that decide it.
type Decision struct {
	Action  string // "s3:GetObject"
	Object  bool
	Verdict Verdict
	// By are the Allow statements that certainly grant it; DeniedBy the
	// Deny statement that certainly refuses it.
	By       []*iam.Statement
	DeniedBy *iam.Statement
	// RoleAllows: the identity policies certainly allow it.
	RoleAllows bool
	// Regions limit an object grant to some keys ("incoming/*"); nil
	// means every object.
	Regions []string
	// Endpoint names the VPC endpoint whose policy certainly refuses an
	// action the role or bucket policy allows (Verdict Denied, DeniedBy
	// nil when no Deny statement is to blame: the policy just does not
	// allow it).
	Endpoint string
}

// Denial says what refuses a denied action, for reports.
func (d *Decision) Denial() string {
	if d.DeniedBy != nil {
		return Describe(d.DeniedBy)
	}
	if d.Endpoint != "" {
		return "the policy of VPC endpoint " + d.Endpoint + ", which allows no statement for it"
	}
	return ""
}

// BucketAccess is what a function can do to one bucket.
type BucketAccess struct {
	Bucket    *Bucket
	Decisions []Decision // only actions some policy may allow or deny
	// Referenced: the function is handed the bucket's name or ARN.
	Referenced bool
	KMS        *KMSNeed
}

// Allowed lists the actions certainly allowed, in catalog order.
func (ba *BucketAccess) Allowed() []string { return ba.names(Allowed) }

// UnknownActions lists the actions left unknown.
func (ba *BucketAccess) UnknownActions() []string { return ba.names(Unknown) }

func (ba *BucketAccess) names(v Verdict) []string {
	var out []string
	for _, d := range ba.Decisions {
		if d.Verdict == v {
			out = append(out, d.Action)
		}
	}
	return out
}

// Decision returns the decision for an action, or nil when no policy
// touches it.
func (ba *BucketAccess) Decision(action string) *Decision {
	for i := range ba.Decisions {
		if ba.Decisions[i].Action == action {
			return &ba.Decisions[i]
		}
	}
	return nil
}

// Use is one function × bucket decision a statement takes part in.
type Use struct {
	Function string
	Bucket   string
	Actions  []string // actions it grants (or denies) there
	Denies   bool
}

// Function returns the access of the function with the given logical id.
func (r *Report) Function(id string) *FunctionAccess {
	if r == nil {
		return nil
	}
	return r.byID[id]
}

// Bucket returns a template bucket by logical id (or an external one by
// name), or nil.
func (r *Report) Bucket(id string) *Bucket {
	if r == nil {
		return nil
	}
	return r.bucket[id]
}

// Access returns what the function can do to the bucket, or nil.
func (fa *FunctionAccess) Access(bucket string) *BucketAccess {
	if fa == nil {
		return nil
	}
	for _, ba := range fa.Buckets {
		if ba.Bucket.ID == bucket {
			return ba
		}
	}
	return nil
}

// Known reports whether the function's S3 access is fully decided by the
// template: its role and every policy of it are in the template.
func (fa *FunctionAccess) Known() bool { return len(fa.Role.Unknown) == 0 }

// Build reasons over a template. policies are the documents written in it
// (cfn.Template.Policies); net may be nil.
func Build(t *cfn.Template, policies []*iam.Policy, net *network.Report) *Report {
	e := newEngine(t, policies, net)
	return e.run()
}

// triWord renders a three-valued setting for people.
func triWord(t value.Tri, on, off string) string {
	switch t {
	case value.True:
		return on
	case value.False:
		return off
	}
	return "unknown"
}

// Denials groups the denied actions of a bucket by what denies them, in
// the order they first appear: one Deny statement usually refuses many
// actions, and a report line per action would bury the reason.
func (ba *BucketAccess) Denials() []Denial {
	var out []Denial
	index := map[string]int{}
	for i := range ba.Decisions {
		d := &ba.Decisions[i]
		if d.Verdict != Denied {
			continue
		}
		by := d.Denial()
		j, ok := index[by]
		if !ok {
			j = len(out)
			index[by] = j
			out = append(out, Denial{By: by})
		}
		out[j].Actions = append(out[j].Actions, d.Action)
	}
	return out
}

// Denial is what refuses a group of actions.
type Denial struct {
	By      string
	Actions []string
}

// coreActions are what functions call most; lists name them first.
var coreActions = []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"}

// Short lists the actions for people, at most n of them by name, the
// everyday ones first.
func (d Denial) Short(n int) string {
	ordered := make([]string, 0, len(d.Actions))
	has := map[string]bool{}
	for _, a := range d.Actions {
		has[a] = true
	}
	for _, a := range coreActions {
		if has[a] {
			ordered = append(ordered, a)
		}
	}
	for _, a := range d.Actions {
		if !slices.Contains(coreActions, a) {
			ordered = append(ordered, a)
		}
	}
	if len(ordered) <= n {
		return strings.Join(ordered, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ordered[:n], ", "), len(ordered)-n)
}
