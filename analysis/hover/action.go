package hover

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/value"
)

// maxListed bounds the actions a wildcard hover lists.
const maxListed = 12

// actionSection describes an IAM action: what it does, its access level,
// the resources it needs, and whether this statement's resources can be
// such resources.
func actionSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetAction {
		return
	}
	name, ok := t.Element.Value.Literal()
	if !ok {
		w.Title("Action decided at deploy time")
		w.Para(fmt.Sprintf("This entry evaluates to %s, which CloudFormation resolves at deploy.", w.Code(t.Element.Value.String())))
		return
	}
	if t.Statement.NotAction {
		defer w.Para(fmt.Sprintf("This statement uses NotAction: it applies to every action except %s and the other listed ones.", w.Code(name)))
	}
	if strings.ContainsAny(name, "*?") {
		wildcardAction(w, name)
		return
	}
	a, ok := catalog.Lookup(name)
	if !ok {
		w.Title(name)
		w.Para(fmt.Sprintf("%s is not an IAM action iamlens knows. IAM ignores names that match no action, so this entry grants nothing at run time.", w.Code(name)))
		if s, ok := catalog.Closest(name); ok {
			w.Para(fmt.Sprintf("Did you mean %s?", w.Code(s)))
		}
		return
	}
	w.Title(fmt.Sprintf("%s — %s", a.FullName(), a.AccessLevel))
	w.Para(sentence(a.Description))
	if a.WildcardOnly() {
		w.Para(fmt.Sprintf("%s has no resource type: only %s grants it.", w.Code(a.FullName()), w.Code(`"Resource": "*"`)))
		return
	}
	types := a.Resources()
	if len(types) > 0 {
		primary := primaryType(a, types)
		w.Para(fmt.Sprintf("%s needs %s ARN such as %s.", w.Code(a.FullName()), article(primary.Name), w.Code(exampleARN(primary.ARN))))
	}
	for _, ref := range a.ResourceTypes {
		rt, ok := catalog.Resource(a.Service, ref.Name)
		if !ok {
			continue
		}
		req := ""
		if ref.Required {
			req = " (required)"
		}
		w.Bullet(fmt.Sprintf("%s%s: %s", rt.Name, req, w.Code(rt.ARN)))
	}
	st := t.Statement
	if st.NotResource || len(st.Resources) == 0 || t.Statement.NotAction {
		return
	}
	if !servesAny(a, st.Resources) {
		w.Para(fmt.Sprintf("None of this statement's resources is such an ARN, so it grants nothing for %s: %s",
			w.Code(a.FullName()), consequence(w, st.Policy)))
	}
}

// primaryType is the resource type to name first: a required one, else
// the plain bucket or object (rather than the access point forms), else the
// first.
func primaryType(a *catalog.Action, types []*catalog.ResourceType) *catalog.ResourceType {
	for _, ref := range a.ResourceTypes {
		if rt, ok := catalog.Resource(a.Service, ref.Name); ok && ref.Required {
			return rt
		}
	}
	for _, t := range types {
		if t.Name == "object" || t.Name == "bucket" {
			return t
		}
	}
	return types[0]
}

// sentence ends a catalog description with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// wildcardAction lists what a pattern such as s3:Get* matches.
func wildcardAction(w *Writer, pattern string) {
	matches := catalog.Match(pattern)
	if len(matches) == 0 {
		w.Title(pattern)
		w.Para(fmt.Sprintf("%s matches no IAM action, so it grants nothing.", w.Code(pattern)))
		return
	}
	w.Title(fmt.Sprintf("%s matches %d %s", pattern, len(matches), plural(len(matches), "action", "actions")))
	for i, a := range matches {
		if i == maxListed {
			w.Bullet(fmt.Sprintf("… and %d more", len(matches)-maxListed))
			break
		}
		w.Bullet(fmt.Sprintf("%s — %s", w.Code(a.FullName()), a.AccessLevel))
	}
}

// servesAny reports whether some resource of the list can be one the
// action is authorized against.
func servesAny(a *catalog.Action, resources []iam.Element) bool {
	for _, e := range resources {
		if serves(a, e.Value) {
			return true
		}
	}
	return false
}

func serves(a *catalog.Action, v value.Str) bool {
	if a.WildcardOnly() {
		s, ok := v.Literal()
		return !ok || s == "*"
	}
	types := a.Resources()
	if len(types) == 0 {
		return true // the catalog does not say: do not claim otherwise
	}
	for _, rt := range types {
		if arn.CanMatchFormat(v, rt.ARN) {
			return true
		}
	}
	return false
}

// consequence says what a grant that applies to nothing means at run or
// deploy time, by the kind of policy.
func consequence(w *Writer, p *iam.Policy) string {
	if p != nil && p.Kind == iam.Bucket {
		return "S3 rejects the bucket policy at deploy with " + w.Code("MalformedPolicy: Action does not apply to any resource(s) in statement") + "."
	}
	return "calls fail with AccessDenied at run time."
}

// exampleARN fills an ARN format's ${...} parts with sample values.
func exampleARN(format string) string {
	var b strings.Builder
	for {
		i := strings.Index(format, "${")
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		j := strings.IndexByte(format[i:], '}')
		if j < 0 {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		b.WriteString(sample(format[i+2 : i+j]))
		format = format[i+j+1:]
	}
}

func sample(part string) string {
	switch part {
	case "Partition":
		return "aws"
	case "Region":
		return "us-east-1"
	case "Account":
		return "123456789012"
	case "ObjectName", "Key":
		return "*"
	}
	name := strings.TrimSuffix(strings.TrimSuffix(part, "Name"), "Id")
	if name == "" {
		name = part
	}
	return strings.ToLower(name[:1]) + name[1:]
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// arnSection says what a Resource entry names and which of the
// statement's actions it serves.
func arnSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetResourceARN {
		return
	}
	v := t.Element.Value
	text := v.String()
	w.Title(text)
	w.Para(describeARN(w, m, v))
	if t.Statement.NotResource {
		w.Para("This statement uses NotResource: it applies to every resource except the listed ones.")
		return
	}
	if t.Statement.NotAction {
		return
	}
	var served, unserved []string
	var need []string
	for _, e := range t.Statement.Actions {
		name, ok := e.Value.Literal()
		if !ok {
			continue
		}
		for _, a := range expand(name) {
			if serves(a, v) {
				served = append(served, a.FullName())
			} else {
				unserved = append(unserved, a.FullName())
				if rs := a.Resources(); len(rs) > 0 {
					need = append(need, fmt.Sprintf("%s needs %s ARN (%s)", w.Code(a.FullName()), article(rs[0].Name), w.Code(exampleARN(rs[0].ARN))))
				} else {
					need = append(need, fmt.Sprintf("%s needs %s", w.Code(a.FullName()), w.Code(`"Resource": "*"`)))
				}
			}
		}
	}
	if len(served) > 0 {
		w.Para(fmt.Sprintf("Serves %s of this statement.", names(w, cap12(served))))
	}
	if len(unserved) > 0 {
		w.Para(fmt.Sprintf("Does not serve %s:", names(w, cap12(unserved))))
		for i, n := range need {
			if i == maxListed {
				break
			}
			w.Bullet(n)
		}
	}
}

// expand resolves an action name or pattern to catalog actions (a pattern
// with many matches is left out: the list would not help).
func expand(name string) []*catalog.Action {
	if strings.ContainsAny(name, "*?") {
		ms := catalog.Match(name)
		if len(ms) > maxListed {
			return nil
		}
		return ms
	}
	if a, ok := catalog.Lookup(name); ok {
		return []*catalog.Action{a}
	}
	return nil
}

func cap12(s []string) []string {
	if len(s) > maxListed {
		return append(s[:maxListed:maxListed], fmt.Sprintf("%d more", len(s)-maxListed))
	}
	return s
}

// describeARN says what an ARN names, in words: for S3, the bucket itself
// or objects in it.
func describeARN(w *Writer, m *model.Model, v value.Str) string {
	s := flat(v)
	if s == "*" {
		return "Every resource: the statement's actions apply to anything they support."
	}
	if !strings.HasPrefix(s, "arn:") {
		return "Not an ARN: a Resource entry must be an ARN or *."
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 {
		return "An incomplete ARN: it needs six colon-separated parts."
	}
	if parts[2] == "s3" && parts[3] == "" && parts[4] == "" {
		bucket, key, isObject := strings.Cut(parts[5], "/")
		name := bucketName(w, m, v, bucket)
		if isObject {
			return fmt.Sprintf("Objects in %s whose key matches %s: object actions (s3:GetObject, s3:PutObject, s3:DeleteObject …) apply here, bucket actions such as s3:ListBucket do not.", name, w.Code(key))
		}
		if strings.HasSuffix(bucket, "*") {
			return fmt.Sprintf("Buckets matching %s, and, since a trailing * also matches /, their objects.", w.Code(bucket))
		}
		return fmt.Sprintf("The bucket %s itself, not the objects in it: bucket actions (s3:ListBucket, s3:GetBucketLocation …) apply here; object actions need %s.", name, w.Code(s+"/*"))
	}
	for _, rt := range catalog.ServiceResources(parts[2]) {
		if arn.CanMatchFormat(v, rt.ARN) {
			return fmt.Sprintf("A %s %s (format %s).", parts[2], rt.Name, w.Code(rt.ARN))
		}
	}
	return fmt.Sprintf("An ARN of service %s.", w.Code(parts[2]))
}

// flat renders a value with holes free of colons (${AWS::Region} becomes
// ${AWS.Region}), so the ARN can be split at its colons.
func flat(v value.Str) string {
	var b strings.Builder
	for _, p := range v.Parts {
		if p.Hole {
			b.WriteString(flatPart(p))
		} else {
			b.WriteString(p.Lit)
		}
	}
	return b.String()
}

func flatPart(p value.Part) string {
	if p.Kind == value.Pseudo && p.Ref == "AWS::Partition" {
		return "aws"
	}
	return strings.ReplaceAll(p.Display(), "::", ".")
}

// bucketName names the bucket part of an S3 ARN: the template bucket when
// the part is its name.
func bucketName(w *Writer, m *model.Model, v value.Str, part string) string {
	for _, p := range v.Parts {
		if p.Hole && p.Kind == value.ResourceRef && p.Type == "AWS::S3::Bucket" && strings.Contains(part, flatPart(p)) {
			return "bucket " + w.Code(p.Ref) + " of this template"
		}
	}
	if m != nil && m.Template != nil {
		for _, r := range m.Template.ResourcesOfType("AWS::S3::Bucket") {
			if n, ok := r.Prop("BucketName").Str(); ok && n == part {
				return "bucket " + w.Code(part) + " (" + w.Code(r.ID) + " of this template)"
			}
		}
	}
	return "bucket " + w.Code(part)
}
