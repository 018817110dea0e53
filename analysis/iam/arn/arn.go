// Package arn parses Amazon Resource Names and matches them the way IAM
// does: globs for the Resource element and StringLike, segment-wise for
// ArnLike, and symbolically for CloudFormation values whose parts are
// known only at deployment (see Covers and CanMatchFormat).
//
// ARN format (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html):
//
//	arn:partition:service:region:account-id:resource
//
// The resource part may itself contain colons and slashes
// ("log-group:/aws/lambda/f:*", "bucket/key:with:colons").
package arn

import (
	"fmt"
	"strings"
)

// ARN is a parsed ARN. Resource is everything after the fifth colon.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// String reassembles the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Parse splits an ARN into its parts. Wildcards are accepted as text: a
// policy's Resource ("arn:aws:s3:::bucket/*") parses like any ARN. The
// errors say what is wrong in terms a policy author can act on.
func Parse(s string) (ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		if strings.HasPrefix(strings.ToLower(s), "arn:") {
			return ARN{}, fmt.Errorf("ARN must start with lower-case %q, not %q", "arn:", s[:4])
		}
		return ARN{}, fmt.Errorf("not an ARN: it does not start with %q", "arn:")
	}
	parts, n := splitARN(s)
	if n < 6 {
		return ARN{}, fmt.Errorf("ARN has %d of the 6 colon-separated parts (arn:partition:service:region:account:resource)", n)
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case a.Partition == "":
		return a, fmt.Errorf("ARN has an empty partition (expected e.g. %q)", "aws")
	case a.Service == "":
		return a, fmt.Errorf("ARN has an empty service (expected e.g. %q)", "s3")
	case strings.ContainsAny(a.Service, "*?"):
		// "You can't use a wildcard in the service segment"
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
		return a, fmt.Errorf("ARN service %q contains a wildcard, which IAM does not allow there", a.Service)
	case a.Resource == "":
		return a, fmt.Errorf("ARN has an empty resource part")
	}
	return a, nil
}

// splitARN is strings.SplitN(s, ":", 6) without allocating: the first n
// entries of parts are set. Rules split every ARN of a template.
func splitARN(s string) (parts [6]string, n int) {
	for n < 5 {
		before, after, ok := strings.Cut(s, ":")
		if !ok {
			break
		}
		parts[n], s = before, after
		n++
	}
	parts[n] = s
	return parts, n + 1
}
