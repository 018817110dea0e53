package access

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/value"
)

// Hover texts: short sections in markdown, or plain text for clients that
// ask for it. analysis/hover chooses which one to show where.

type writer struct {
	b  strings.Builder
	md bool
}

func (w *writer) title(s string) {
	if w.md {
		fmt.Fprintf(&w.b, "**%s**\n\n", s)
	} else {
		fmt.Fprintf(&w.b, "%s\n\n", s)
	}
}

func (w *writer) section(s string) {
	if !strings.HasSuffix(w.b.String(), "\n\n") {
		w.b.WriteString("\n")
	}
	if w.md {
		fmt.Fprintf(&w.b, "*%s*\n\n", s)
	} else {
		fmt.Fprintf(&w.b, "%s:\n", s)
	}
}

func (w *writer) item(format string, args ...any) {
	fmt.Fprintf(&w.b, "- "+format+"\n", args...)
}

func (w *writer) code(s string) string {
	if w.md {
		return "`" + s + "`"
	}
	return s
}

func (w *writer) String() string { return strings.TrimRight(w.b.String(), "\n") + "\n" }

// FunctionHover is the hover on a function's logical id: its role and,
// per bucket, what it can do and which statements decide it.
func (r *Report) FunctionHover(id string, markdown bool) string {
	fa := r.Function(id)
	if fa == nil {
		return ""
	}
	w := &writer{md: markdown}
	w.title(fmt.Sprintf("%s — what it can do to S3", fa.ID))
	w.b.WriteString(roleLine(fa) + ".\n")
	if len(fa.Buckets) == 0 {
		if fa.Known() {
			w.b.WriteString("\nIts role allows no S3 action on any bucket of this template.\n")
		} else {
			w.b.WriteString("\nNo bucket is known to be reachable.\n")
		}
	}
	for _, ba := range fa.Buckets {
		w.section(ba.Bucket.ID)
		allowed, notes := ba.Allowed(), inertNotes(fa, ba)
		if len(allowed) > 0 {
			w.item("%s: %s", verbs(allowed), w.code(strings.Join(allowed, " ")))
		} else if len(ba.Decisions) == 0 && len(notes) == 0 {
			w.item("no statement of %s grants an S3 action on it; object actions need the objects' ARN (%s), bucket actions the bucket ARN (%s)",
				fa.Role.ID, w.code("${"+ba.Bucket.ID+".Arn}/*"), w.code("${"+ba.Bucket.ID+".Arn}"))
		} else {
			w.item("no action is certainly allowed")
		}
		for _, st := range decidingStatements(ba) {
			w.item("allowed by %s", Describe(st))
		}
		for _, dn := range ba.Denials() {
			w.item("%s denied by %s", w.code(dn.Short(6)), dn.By)
		}
		if u := ba.UnknownActions(); len(u) > 0 {
			w.item("unknown: %s", w.code(strings.Join(u, " ")))
		}
		for _, n := range notes {
			w.item("%s", n)
		}
		if k := ba.KMS; k != nil && len(k.Missing) > 0 {
			w.item("KMS key %s: missing %s", k.Key, w.code(strings.Join(k.Missing, " ")))
		}
		if !ba.Bucket.External {
			w.item("Block Public Access %s: it limits anonymous and cross-account access, not requests signed by %s", bpaWord(ba.Bucket.BPA), fa.Role.ID)
		}
	}
	w.section("Network")
	w.item("%s", r.networkLine(fa))
	for _, u := range fa.Unknown {
		w.item("unknown: %s", u)
	}
	return w.String()
}

func decidingStatements(ba *BucketAccess) []*iam.Statement {
	var out []*iam.Statement
	seen := map[*iam.Statement]bool{}
	for _, d := range ba.Decisions {
		if d.Verdict != Allowed {
			continue
		}
		for _, st := range d.By {
			if !seen[st] {
				seen[st] = true
				out = append(out, st)
			}
		}
	}
	return out
}

// bpaEffects says what each Block Public Access setting does.
var bpaEffects = []struct{ name, does string }{
	{"BlockPublicAcls", "rejects requests that set a public ACL"},
	{"IgnorePublicAcls", "ignores public ACLs on the bucket and its objects"},
	{"BlockPublicPolicy", "rejects a public bucket policy (CloudFormation fails on it)"},
	{"RestrictPublicBuckets", "limits a public policy to AWS services and this account"},
}

// BucketHover is the hover on a bucket's logical id: who can reach it,
// its Block Public Access settings and whether its policy is public.
func (r *Report) BucketHover(id string, markdown bool) string {
	b := r.Bucket(id)
	if b == nil {
		return ""
	}
	w := &writer{md: markdown}
	w.title(fmt.Sprintf("%s — S3 bucket", b.ID))
	w.section("Who can reach it")
	n := 0
	for _, fa := range r.Functions {
		ba := fa.Access(b.ID)
		if ba == nil {
			continue
		}
		allowed := ba.Allowed()
		if len(allowed) == 0 {
			continue
		}
		n++
		var by []string
		for _, st := range decidingStatements(ba) {
			by = append(by, Describe(st))
		}
		w.item("%s (%s): %s, allowed by %s", fa.ID, fa.Role.ID, verbs(allowed), strings.Join(by, "; "))
	}
	if n == 0 {
		w.item("no function of this template is certainly allowed")
	}
	w.section("Block Public Access")
	vals := []value.Tri{b.BPA.BlockPublicAcls, b.BPA.IgnorePublicAcls, b.BPA.BlockPublicPolicy, b.BPA.RestrictPublicBuckets}
	if b.BPA.Default {
		w.b.WriteString("No PublicAccessBlockConfiguration: new buckets get all four settings on.\n")
	}
	for i, e := range bpaEffects {
		if vals[i] == value.True {
			w.item("%s on: %s", w.code(e.name), e.does)
		} else {
			w.item("%s %s (when on, it %s)", w.code(e.name), triWord(vals[i], "on", "off"), e.does)
		}
	}
	w.section("Public access")
	switch {
	case len(b.Policies) == 0:
		w.item("no bucket policy")
	case b.Public == value.True:
		for i, st := range b.PublicStatements {
			w.item("%s is public: %s", Describe(st), b.PublicReasons[i])
		}
	case b.Public == value.Maybe:
		w.item("the bucket policy may be public: it depends on values given at deployment")
	default:
		w.item("the bucket policy is not public: every Allow names specific principals or fixed conditions")
	}
	if b.PublicACL {
		w.item("AccessControl %s grants public access by ACL", w.code(b.AccessControl))
	}
	if b.Encryption != "" {
		w.section("Encryption")
		enc := b.Encryption
		if b.KMSKeyText != "" {
			enc += " with key " + b.KMSKeyText
		}
		w.item("%s", enc)
	}
	return w.String()
}

// StatementHover is the hover on a policy statement: the functions it
// serves, the buckets it touches and what it grants there, and why it
// grants nothing where it grants nothing.
func (r *Report) StatementHover(st *iam.Statement, markdown bool) string {
	if r == nil || st == nil {
		return ""
	}
	w := &writer{md: markdown}
	w.title(Describe(st))
	uses := r.served[st]
	verb := "grants"
	if !st.Allow() {
		verb = "denies"
	}
	if len(uses) == 0 {
		w.b.WriteString(r.whyNothing(st))
		return w.String()
	}
	w.section("Serves")
	for _, u := range uses {
		w.item("%s on %s: %s %s", u.Function, u.Bucket, verb, w.code(strings.Join(u.Actions, " ")))
	}
	return w.String()
}

// whyNothing explains a statement that takes part in no decision.
func (r *Report) whyNothing(st *iam.Statement) string {
	p := st.Policy
	switch {
	case p.Kind == iam.Identity:
		owner := p.Owner
		used := false
		for _, fa := range r.Functions {
			for _, ip := range fa.Role.Identity {
				if ip == p {
					used = true
				}
			}
		}
		if !used {
			return fmt.Sprintf("No Lambda function of this template runs with this policy (owner %s).\n", owner)
		}
		if !touchesS3(st) {
			return "It grants no S3 action on the template's buckets.\n"
		}
		return "It certainly grants no S3 action on a bucket of this template: check that Resource names the bucket ARN for bucket actions and bucket/* for object actions.\n"
	case p.Kind == iam.Bucket:
		return "It decides no request of this template's functions.\n"
	}
	return ""
}

func touchesS3(st *iam.Statement) bool {
	u := s3Universe()
	pc := patternCache{}
	_, maybe := actionMatch(u, pc, st)
	return !maybe.empty()
}
