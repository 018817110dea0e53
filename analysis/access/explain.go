package access

import (
	"fmt"
	"io"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/value"
)

// The explain report: the JSON shape of `iamlens explain --format json`
// (one file's part) and its text rendering. Field names are a public
// contract.

// ExplainFunction is one function in the explain report.
type ExplainFunction struct {
	ID      string                `json:"id"`
	Role    string                `json:"role"`
	Network ExplainNetwork        `json:"network"`
	Buckets []ExplainBucketAccess `json:"buckets"`
	Unknown []string              `json:"unknown,omitempty"`
}

// ExplainNetwork is a function's way to S3.
type ExplainNetwork struct {
	Path     string `json:"path"`
	Endpoint string `json:"endpoint,omitempty"`
}

// ExplainBucketAccess is what one function can do to one bucket.
type ExplainBucketAccess struct {
	Bucket  string          `json:"bucket"`
	Allowed []string        `json:"allowed"`
	Denied  []ExplainDenial `json:"denied"`
	Unknown []string        `json:"unknown,omitempty"`
	// RoleAllows lists what the role's own policies certainly allow on a
	// bucket outside the template, whose bucket policy is unknown.
	RoleAllows []string `json:"roleAllows,omitempty"`
	// Objects are the key patterns object grants are limited to.
	Objects           []string            `json:"objects,omitempty"`
	ObjectActions     map[string][]string `json:"objectActions,omitempty"`
	BlockPublicAccess *ExplainBPA         `json:"blockPublicAccess"`
	KMS               *ExplainKMS         `json:"kms,omitempty"`
	Referenced        bool                `json:"referenced,omitempty"`
	Reasons           []string            `json:"reasons"`
}

// ExplainDenial is an action an explicit Deny refuses.
type ExplainDenial struct {
	Action string `json:"action"`
	By     string `json:"by"`
}

// ExplainBPA is a bucket's Block Public Access settings; null when unknown.
type ExplainBPA struct {
	BlockPublicAcls       *bool `json:"blockPublicAcls"`
	IgnorePublicAcls      *bool `json:"ignorePublicAcls"`
	BlockPublicPolicy     *bool `json:"blockPublicPolicy"`
	RestrictPublicBuckets *bool `json:"restrictPublicBuckets"`
}

// ExplainKMS is what a function needs from a bucket's KMS key.
type ExplainKMS struct {
	Key     string   `json:"key"`
	Missing []string `json:"missing"`
	Unknown []string `json:"unknown,omitempty"`
}

// ExplainBucket is one template bucket.
type ExplainBucket struct {
	ID                string      `json:"id"`
	Public            *bool       `json:"public"`
	Encryption        string      `json:"encryption"`
	KMSKey            string      `json:"kmsKey,omitempty"`
	BlockPublicAccess *ExplainBPA `json:"blockPublicAccess"`
	PublicACL         bool        `json:"publicAcl,omitempty"`
}

func triPtr(t value.Tri) *bool {
	if t == value.Maybe {
		return nil
	}
	b := t == value.True
	return &b
}

func bpaJSON(b *Bucket) *ExplainBPA {
	if !b.BPA.Known {
		return nil
	}
	return &ExplainBPA{triPtr(b.BPA.BlockPublicAcls), triPtr(b.BPA.IgnorePublicAcls), triPtr(b.BPA.BlockPublicPolicy), triPtr(b.BPA.RestrictPublicBuckets)}
}

// ExplainFunctions is the report's functions in the explain shape.
func (r *Report) ExplainFunctions() []ExplainFunction {
	out := []ExplainFunction{}
	if r == nil {
		return out
	}
	for _, fa := range r.Functions {
		ef := ExplainFunction{ID: fa.ID, Role: fa.Role.ID, Buckets: []ExplainBucketAccess{}, Unknown: fa.Unknown}
		ef.Network.Path = string(r.pathOf(fa))
		if fa.Network != nil && fa.Network.Endpoint != nil {
			ef.Network.Endpoint = fa.Network.Endpoint.ID
		}
		for _, ba := range fa.Buckets {
			ef.Buckets = append(ef.Buckets, r.explainAccess(fa, ba))
		}
		out = append(out, ef)
	}
	return out
}

func (r *Report) pathOf(fa *FunctionAccess) network.PathKind {
	if fa.Network != nil {
		return fa.Network.Path
	}
	if fa.Function.Prop("VpcConfig") == nil {
		return network.AWSNetwork
	}
	return network.Unknown
}

func (r *Report) explainAccess(fa *FunctionAccess, ba *BucketAccess) ExplainBucketAccess {
	eb := ExplainBucketAccess{Bucket: ba.Bucket.ID, Allowed: []string{}, Denied: []ExplainDenial{},
		BlockPublicAccess: bpaJSON(ba.Bucket), Referenced: ba.Referenced}
	seen := map[string]bool{}
	for _, d := range ba.Decisions {
		switch d.Verdict {
		case Allowed:
			eb.Allowed = append(eb.Allowed, d.Action)
			if len(d.Regions) > 0 {
				if eb.ObjectActions == nil {
					eb.ObjectActions = map[string][]string{}
				}
				eb.ObjectActions[d.Action] = d.Regions
				for _, rg := range d.Regions {
					if !seen[rg] {
						seen[rg] = true
						eb.Objects = append(eb.Objects, rg)
					}
				}
			}
		case Denied:
			eb.Denied = append(eb.Denied, ExplainDenial{Action: d.Action, By: d.Denial()})
		case Unknown:
			eb.Unknown = append(eb.Unknown, d.Action)
		}
		if ba.Bucket.External && d.RoleAllows {
			eb.RoleAllows = append(eb.RoleAllows, d.Action)
		}
	}
	if k := ba.KMS; k != nil {
		eb.KMS = &ExplainKMS{Key: k.Key, Missing: append([]string{}, k.Missing...), Unknown: k.Unknown}
	}
	eb.Reasons = r.reasons(fa, ba)
	return eb
}

// ExplainBuckets is the template's buckets in the explain shape.
func (r *Report) ExplainBuckets() []ExplainBucket {
	out := []ExplainBucket{}
	if r == nil {
		return out
	}
	for _, b := range r.Buckets {
		enc := b.Encryption
		if enc == "" {
			enc = "AES256"
		}
		out = append(out, ExplainBucket{ID: b.ID, Public: triPtr(b.Public), Encryption: enc,
			KMSKey: b.KMSKeyText, BlockPublicAccess: bpaJSON(b), PublicACL: b.PublicACL})
	}
	return out
}

// reasons is the chain behind one function × bucket, for people.
func (r *Report) reasons(fa *FunctionAccess, ba *BucketAccess) []string {
	var out []string
	out = append(out, roleLine(fa))
	type group struct {
		by      string
		actions []string
	}
	var groupsOrder []string
	grants := map[string]*group{}
	for _, d := range ba.Decisions {
		if d.Verdict != Allowed {
			continue
		}
		for _, st := range d.By {
			k := Describe(st)
			g := grants[k]
			if g == nil {
				g = &group{by: k}
				grants[k] = g
				groupsOrder = append(groupsOrder, k)
			}
			g.actions = append(g.actions, d.Action)
		}
	}
	for _, k := range groupsOrder {
		g := grants[k]
		out = append(out, fmt.Sprintf("%s allowed by %s", strings.Join(g.actions, ", "), g.by))
	}
	for _, dn := range ba.Denials() {
		out = append(out, fmt.Sprintf("%s denied by %s", dn.Short(6), dn.By))
	}
	out = append(out, inertNotes(fa, ba)...)
	b := ba.Bucket
	switch {
	case b.External:
		out = append(out, fmt.Sprintf("bucket %s is not created by this template: its bucket policy, account and settings are unknown", b.ID))
	case len(b.Policies) == 0:
		out = append(out, fmt.Sprintf("%s has no bucket policy in this template", b.ID))
	}
	if !b.External {
		out = append(out, fmt.Sprintf("Block Public Access %s does not affect these requests: they are signed by %s, not anonymous", bpaWord(b.BPA), fa.Role.ID))
	}
	out = append(out, r.networkLine(fa))
	if k := ba.KMS; k != nil {
		switch {
		case len(k.Missing) > 0:
			out = append(out, fmt.Sprintf("objects are encrypted with KMS key %s: %s missing", k.Key, strings.Join(k.Missing, ", ")))
		case len(k.Unknown) > 0:
			out = append(out, fmt.Sprintf("objects are encrypted with KMS key %s: %s unknown", k.Key, strings.Join(k.Unknown, ", ")))
		default:
			out = append(out, fmt.Sprintf("objects are encrypted with KMS key %s: %s allowed", k.Key, strings.Join(k.Needs, ", ")))
		}
	}
	return out
}

func roleLine(fa *FunctionAccess) string {
	role := fa.Role
	switch {
	case role.Implicit:
		return fmt.Sprintf("%s runs as %s, the role SAM creates from its Policies", fa.ID, role.ID)
	case role.External:
		return fmt.Sprintf("%s runs as %s, a role outside this template: its policies are unknown", fa.ID, role.ID)
	}
	return fmt.Sprintf("%s runs as %s", fa.ID, role.ID)
}

func (r *Report) networkLine(fa *FunctionAccess) string {
	switch r.pathOf(fa) {
	case network.AWSNetwork:
		return "requests go over AWS's network (no VpcConfig)"
	case network.GatewayEndpoint, network.InterfaceEndpoint:
		if fa.Network != nil && fa.Network.Endpoint != nil {
			return fmt.Sprintf("requests go through VPC endpoint %s (they carry aws:SourceVpce)", fa.Network.Endpoint.ID)
		}
		return "requests go through an S3 VPC endpoint"
	case network.NAT:
		return "requests go through a NAT gateway (they carry aws:SourceIp, not aws:SourceVpce)"
	case network.None:
		return "the function's subnets have no path to S3: calls time out whatever IAM allows"
	}
	return "the network path to S3 is unknown"
}

func bpaWord(b BPA) string {
	switch {
	case !b.Known:
		return "(unknown)"
	case b.AllOn() && b.Default:
		return "(all on by default)"
	case b.AllOn():
		return "(all on)"
	}
	return fmt.Sprintf("(BlockPublicAcls %s, IgnorePublicAcls %s, BlockPublicPolicy %s, RestrictPublicBuckets %s)",
		triWord(b.BlockPublicAcls, "on", "off"), triWord(b.IgnorePublicAcls, "on", "off"),
		triWord(b.BlockPublicPolicy, "on", "off"), triWord(b.RestrictPublicBuckets, "on", "off"))
}

// Describe names a statement for people: where it is written and which one.
func Describe(st *iam.Statement) string {
	if st == nil {
		return ""
	}
	p := st.Policy
	which := ""
	if st.Sid != "" {
		which = "statement " + st.Sid
	} else if len(p.Statements) > 1 {
		which = fmt.Sprintf("statement %d", st.Index+1)
	}
	var where string
	switch {
	case p.Synthetic:
		where = p.Origin
	case p.Kind == iam.Bucket:
		where = "bucket policy " + p.Owner
	case p.Kind == iam.Endpoint:
		where = "endpoint policy of " + p.Owner
	case p.Kind == iam.KeyPolicy:
		where = "key policy of " + p.Owner
	case p.Name != "":
		where = fmt.Sprintf("%s policy %s", p.Owner, p.Name)
	default:
		where = p.Owner + " inline policy"
	}
	if which == "" {
		return where
	}
	return where + ", " + which
}

// WriteText writes the readable report of one template.
func (r *Report) WriteText(w io.Writer) {
	if r == nil || len(r.Functions) == 0 {
		fmt.Fprintln(w, "  no Lambda functions")
		return
	}
	for _, fa := range r.Functions {
		fmt.Fprintf(w, "  %s (role %s)\n", fa.ID, fa.Role.ID)
		if len(fa.Buckets) == 0 {
			if fa.Known() {
				fmt.Fprintf(w, "    → no S3 bucket: the role allows no S3 action on any bucket\n")
			} else {
				fmt.Fprintf(w, "    → no S3 bucket known\n")
			}
		}
		for _, ba := range fa.Buckets {
			fmt.Fprintf(w, "    %s → %s\n", fa.ID, r.summaryLine(fa, ba))
			if d := ba.Allowed(); len(d) > 0 {
				fmt.Fprintf(w, "        allowed: %s\n", strings.Join(d, ", "))
			}
			for _, dn := range ba.Denials() {
				fmt.Fprintf(w, "        denied:  %s by %s\n", dn.Short(6), dn.By)
			}
			if u := ba.UnknownActions(); len(u) > 0 {
				fmt.Fprintf(w, "        unknown: %s\n", strings.Join(u, ", "))
			}
			if k := ba.KMS; k != nil && len(k.Missing) > 0 {
				fmt.Fprintf(w, "        KMS key %s: missing %s\n", k.Key, strings.Join(k.Missing, ", "))
			}
			for _, n := range inertNotes(fa, ba) {
				fmt.Fprintf(w, "        note:    %s\n", n)
			}
		}
		for _, u := range fa.Unknown {
			fmt.Fprintf(w, "    unknown: %s\n", u)
		}
	}
}

// summaryLine is "ImagesBucket: read, write objects; list bucket · via AWS
// network · BPA on (...)".
func (r *Report) summaryLine(fa *FunctionAccess, ba *BucketAccess) string {
	what := verbs(ba.Allowed())
	if what == "" {
		what = "no certain access"
	}
	var via string
	switch p := r.pathOf(fa); p {
	case network.AWSNetwork:
		via = "via AWS network"
	case network.GatewayEndpoint, network.InterfaceEndpoint:
		via = "via " + string(p)
		if fa.Network != nil && fa.Network.Endpoint != nil {
			via += " " + fa.Network.Endpoint.ID
		}
	default:
		via = "via " + string(p)
	}
	b := ba.Bucket
	bpa := "BPA unknown (bucket outside the template)"
	if !b.External {
		state := "on"
		if !b.BPA.AllOn() {
			state = "partly off"
		}
		bpa = fmt.Sprintf("BPA %s (does not affect this role: requests are signed by %s)", state, fa.Role.ID)
	}
	return fmt.Sprintf("%s: %s · %s · %s", b.ID, what, via, bpa)
}

// inertNotes names the role's Allow statements that are written for a
// template bucket but decide nothing on it: the answer to "why can't my
// function write?" is usually one of these (an object action on the bucket
// ARN, a bucket action on bucket/*), which action-resource-mismatch reports.
func inertNotes(fa *FunctionAccess, ba *BucketAccess) []string {
	b := ba.Bucket
	if b.External || fa.Role == nil {
		return nil
	}
	used := map[*iam.Statement]bool{}
	for _, d := range ba.Decisions {
		for _, st := range d.By {
			used[st] = true
		}
		if d.DeniedBy != nil {
			used[d.DeniedBy] = true
		}
	}
	var out []string
	for _, p := range fa.Role.Identity {
		if p.Synthetic {
			continue
		}
		for _, st := range p.Statements {
			if !st.Allow() || used[st] || !namesBucket(st, b.ID) {
				continue
			}
			out = append(out, fmt.Sprintf("%s names %s but grants nothing on it: object actions need ${%s.Arn}/*, bucket actions ${%s.Arn}", Describe(st), b.ID, b.ID, b.ID))
		}
	}
	return out
}

// namesBucket reports whether a statement about S3 actions names a
// template bucket, by its logical id, in an S3 ARN of its Resource.
func namesBucket(st *iam.Statement, id string) bool {
	if !touchesS3(st) {
		return false
	}
	for _, e := range st.Resources {
		s3 := false
		for _, part := range e.Value.Parts {
			if !part.Hole && strings.Contains(part.Lit, ":s3:::") {
				s3 = true
			}
			if s3 && part.Hole && part.Kind == value.ResourceRef && part.Ref == id {
				return true
			}
		}
	}
	return false
}
