package arn

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/value"
)

// S3 ARN forms, from the S3 resource types of the Service Authorization
// Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-resources-for-iam-policies):
//
//	arn:aws:s3:::bucket                          bucket: no region, no account
//	arn:aws:s3:::bucket/key                      object: no region, no account
//	arn:aws:s3:region:account:accesspoint/name   access point (and .../object/key)
//	arn:aws:s3::account:accesspoint/alias        multi-region access point
//	arn:aws:s3:region:account:job/id             and storage-lens/, storage-lens-group/,
//	                                             access-grants/, async-request/
//
// "Bucket ARNs do not include the Region or account ID" is why
// arn:aws:s3:us-east-1:123456789012:bucket never matches a bucket
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html).
var s3AccountForms = []string{"accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/"}

// While a value.Str is checked as text, hole i is the rune phBase+i.
const phBase = 0xF0000 // Supplementary Private Use Area-A: never in an ARN

// holeText is a value.Str rendered as text with placeholder runes.
type holeText struct {
	holes []value.Part
	name  []bool // the hole is non-empty text without '/' or ':'
}

func (h *holeText) render(v value.Str) string {
	var b strings.Builder
	for _, p := range v.Parts {
		switch {
		case !p.Hole:
			b.WriteString(p.Lit)
		case isPartition(p):
			b.WriteString("aws")
		default:
			b.WriteRune(rune(phBase + len(h.holes)))
			h.holes = append(h.holes, p)
			h.name = append(h.name, holeToken(&p).cls == csName)
		}
	}
	return b.String()
}

// hole returns the index of the hole r stands for, or -1.
func (h *holeText) hole(r rune) int {
	if i := int(r) - phBase; i >= 0 && i < len(h.holes) {
		return i
	}
	return -1
}

// hasAny reports whether s holds a hole that may contain anything.
func (h *holeText) hasAny(s string) bool {
	for _, r := range s {
		if i := h.hole(r); i >= 0 && !h.name[i] {
			return true
		}
	}
	return false
}

// hasName reports whether s holds a hole that is never empty.
func (h *holeText) hasName(s string) bool {
	for _, r := range s {
		if i := h.hole(r); i >= 0 && h.name[i] {
			return true
		}
	}
	return false
}

// display shows s with its holes written the way !Sub writes them.
func (h *holeText) display(s string) string {
	var b strings.Builder
	for _, r := range s {
		if i := h.hole(r); i >= 0 {
			b.WriteString(h.holes[i].Display())
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ValidateS3 returns the problems of an S3 ARN written in a policy's
// Resource, in words for the policy's author; nil if it looks right.
// Wildcards are allowed anywhere but in the service.
func ValidateS3(s string) []string { return ValidateS3Str(value.Lit(s)) }

// ValidateS3Str is ValidateS3 for a template value. A hole that may hold
// ':' before the resource part makes the structure unknowable, and the
// answer is nil rather than a guess.
func ValidateS3Str(v value.Str) []string {
	h := &holeText{}
	s := h.render(v)
	parts, n := splitARN(s)
	for _, p := range parts[:min(n, 5)] {
		if h.hasAny(p) {
			return nil
		}
	}
	a, err := Parse(s)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", v.String(), err)}
	}
	if a.Service != "s3" {
		return []string{fmt.Sprintf("%s is not an S3 ARN (service %q)", v.String(), a.Service)}
	}
	var probs []string
	add := func(format string, args ...any) {
		// Rendered only for a problem: most ARNs have none.
		probs = append(probs, v.String()+": "+fmt.Sprintf(format, args...))
	}
	canBeEmpty := func(seg string) bool { return !h.hasName(seg) && MatchGlob(seg, "") }
	regionEmpty, regionSet := canBeEmpty(a.Region), !canBeEmpty(a.Region)
	accountEmpty, accountSet := canBeEmpty(a.Account), !canBeEmpty(a.Account)
	// A region of "*" may be empty or not; only a segment that must hold
	// text makes a bucket ARN wrong.
	form := ""
	for _, f := range s3AccountForms {
		if strings.HasPrefix(a.Resource, f) {
			form = f
		}
	}
	switch {
	case regionEmpty && accountEmpty:
		// Bucket or object. ("arn:aws:s3:::accesspoint/x" is object x of
		// a bucket named accesspoint: valid.)
		checkBucketObject(h, a.Resource, add)
	case form == "" && (regionSet || accountSet):
		add("bucket and object ARNs have no region or account (arn:aws:s3:::%s); only access points, jobs and Storage Lens ARNs carry them", h.display(a.Resource))
		checkBucketObject(h, a.Resource, add)
	case form != "":
		kind := strings.TrimSuffix(form, "/")
		if a.Account == "" {
			add("an S3 %s ARN needs the account id (arn:aws:s3:region:account:%s...)", kind, form)
		}
		// Only multi-region access points (arn:aws:s3::account:accesspoint/alias) have no region.
		if a.Region == "" && form != "accesspoint/" {
			add("an S3 %s ARN needs the region", kind)
		}
		if form == "accesspoint/" {
			name, rest, hasRest := strings.Cut(strings.TrimPrefix(a.Resource, form), "/")
			switch {
			case name == "":
				add("the access point name is empty")
			case hasRest && rest == "":
				add("trailing '/' after the access point name: use %s for the access point or %s/object/* for its objects", h.display(a.Resource[:len(a.Resource)-1]), h.display(a.Resource[:len(a.Resource)-1]))
			case rest == "object/":
				add("trailing '/' with nothing after it: an object key cannot be empty; use %s* for all objects", h.display(a.Resource))
			}
		}
	}
	return probs
}

// checkBucketObject checks the part after "arn:aws:s3:::".
func checkBucketObject(h *holeText, res string, add func(string, ...any)) {
	bucket, key, hasKey := strings.Cut(res, "/")
	if h.hasAny(bucket) {
		return // the bucket part may hold '/' too: where the key starts is unknown
	}
	if bucket == "" {
		add("the bucket name is empty")
	}
	if strings.ContainsRune(bucket, ':') {
		add("bucket names cannot contain ':' (%q)", h.display(bucket))
	}
	if hasKey && key == "" && bucket != "" {
		add("trailing '/' with nothing after it matches no object (a key cannot be empty): use %s/* for its objects, or %s for the bucket itself", h.display(bucket), h.display(bucket))
	}
}
