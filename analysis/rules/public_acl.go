package rules

import (
	"fmt"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/value"
)

var publicACL = register(&Rule{
	ID:       "public-acl",
	Severity: diag.Error,
	Summary:  "A bucket's AccessControl is a public canned ACL: deploy fails, or the ACL is ignored.",
	Doc: "`AccessControl: PublicRead`, `PublicReadWrite` or `AuthenticatedRead` grants the AllUsers or " +
		"AuthenticatedUsers group access to the bucket. New buckets have ACLs disabled (Object Ownership " +
		"`BucketOwnerEnforced`), so CloudFormation fails with `InvalidBucketAclWithObjectOwnership` unless " +
		"`OwnershipControls` sets `ObjectWriter` or `BucketOwnerPreferred`; with `BlockPublicAcls` on (the " +
		"default) the public ACL is rejected at deploy. With only `IgnorePublicAcls` on, the ACL is accepted " +
		"and silently ignored (warning). The fix removes the ACL: to share objects, use a bucket policy or " +
		"CloudFront with origin access control.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkPublicACL,
})

func checkPublicACL(c *Context) {
	if c.Access == nil {
		return
	}
	for _, b := range c.Access.Buckets {
		if !b.PublicACL || b.ACLNode == nil {
			continue
		}
		who := "everyone"
		switch b.AccessControl {
		case "AuthenticatedRead":
			who = "every AWS account holder"
		}
		grant := "read access"
		if b.AccessControl == "PublicReadWrite" {
			grant = "read and write access"
		}
		head := fmt.Sprintf("AccessControl %s gives %s %s to %s.", b.AccessControl, who, grant, b.ID)
		switch {
		case b.Ownership == "" || b.Ownership == "BucketOwnerEnforced":
			c.ReportAt(diag.Error, b.ACLNode.Span, head+" ACLs are disabled on new buckets (Object Ownership BucketOwnerEnforced), "+
				"so CloudFormation fails to create the bucket: InvalidBucketAclWithObjectOwnership. Remove AccessControl and grant access "+
				"with a bucket policy, or set OwnershipControls to ObjectWriter if ACLs are really needed.")
		case b.BPA.BlockPublicAcls == value.True:
			c.ReportAt(diag.Error, b.ACLNode.Span, head+" Block Public Access BlockPublicAcls is on"+defaultNote(b.BPA.Default)+
				", so S3 rejects the public ACL and the deploy fails. Remove AccessControl, or turn BlockPublicAcls off if the bucket is meant to be public.")
		case b.BPA.IgnorePublicAcls == value.True:
			c.ReportAt(diag.Warning, b.ACLNode.Span, head+" IgnorePublicAcls is on, so S3 ignores the ACL: the bucket stays private. Remove AccessControl to say what happens.")
		case b.BPA.BlockPublicAcls == value.False && b.BPA.IgnorePublicAcls == value.False:
			c.ReportAt(diag.Warning, b.ACLNode.Span, head+" Block Public Access does not stop it, so the bucket is public (unless account-level Block Public Access blocks it).")
		}
	}
}

func defaultNote(def bool) string {
	if def {
		return " (by default: the bucket has no PublicAccessBlockConfiguration)"
	}
	return ""
}
