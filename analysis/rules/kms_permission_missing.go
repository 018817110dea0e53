package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
)

var kmsPermissionMissing = register(&Rule{
	ID:       "kms-permission-missing",
	Severity: diag.Error,
	Summary:  "A function reads or writes an SSE-KMS bucket without the KMS permissions on its key.",
	Doc: "S3 encrypts and decrypts SSE-KMS objects with the caller's permissions: reading an object needs " +
		"`kms:Decrypt` on the bucket's key, writing one `kms:GenerateDataKey` (multipart uploads need both). " +
		"Without them GetObject/PutObject fail with AccessDenied even though the S3 permissions are right. " +
		"For a key of the template this rule checks the role's policies and the key policy: IAM grants work " +
		"only when the key policy enables IAM (the account-root statement) or names the role. Fix (SAM): add " +
		"`KMSDecryptPolicy` and `KMSEncryptPolicy_v2` with `KeyId: !Ref Key` (note `KMSEncryptPolicy` grants " +
		"only kms:Encrypt, not GenerateDataKey), or a statement on `!GetAtt Key.Arn`.",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkKMSPermissionMissing,
})

func checkKMSPermissionMissing(c *Context) {
	if c.Access == nil {
		return
	}
	for _, fa := range c.Access.Functions {
		for _, ba := range fa.Buckets {
			k := ba.KMS
			if k == nil || !k.Known || len(k.Missing) == 0 {
				continue
			}
			var uses []string
			if k.Reads != "" {
				uses = append(uses, "reads ("+k.Reads+")")
			}
			if k.Writes != "" {
				uses = append(uses, "writes ("+k.Writes+")")
			}
			msg := fmt.Sprintf("%s %s objects of %s, which are encrypted with KMS key %s, but its role %s lacks %s on that key",
				fa.ID, strings.Join(uses, " and "), ba.Bucket.ID, k.Key, fa.Role.ID, strings.Join(k.Missing, " and "))
			if k.KeyPolicyBlocks {
				msg += fmt.Sprintf(": the key policy of %s neither enables IAM policies (an Allow for the account root) nor names the role", k.Key)
			}
			msg += ". The calls fail with AccessDenied (KMS) at run time."
			var fixes []diag.Fix
			if !k.KeyPolicyBlocks {
				msg += " Allow " + strings.Join(k.Missing, " and ") + " on !GetAtt " + k.Key + ".Arn."
				fixes = kmsFixes(c, fa, k)
			} else {
				msg += " Add the role to the key policy, or the account-root statement that enables IAM."
			}
			c.Report(kmsSpan(fa, ba), msg, fixes...)
		}
	}
}

// kmsSpan is where the function gets its S3 access to the bucket: the
// first identity statement that allows the read or write.
func kmsSpan(fa *access.FunctionAccess, ba *access.BucketAccess) source.Span {
	for _, d := range ba.Decisions {
		if d.Verdict != access.Allowed || (d.Action != "s3:GetObject" && d.Action != "s3:PutObject") {
			continue
		}
		for _, st := range d.By {
			if st.Policy.Kind == iam.Identity {
				return st.Span()
			}
		}
	}
	return fa.Role.Span
}

func kmsFixes(c *Context, fa *access.FunctionAccess, k *access.KMSNeed) []diag.Fix {
	var names []string
	var items []edit.Value
	for _, m := range k.Missing {
		name := ""
		switch m {
		case "kms:Decrypt":
			name = "KMSDecryptPolicy"
		case "kms:GenerateDataKey":
			// KMSEncryptPolicy grants only kms:Encrypt; _v2 adds GenerateDataKey*.
			name = "KMSEncryptPolicy_v2"
		}
		if name != "" {
			names = append(names, name)
			items = append(items, samTemplateItem(name, "KeyId", k.Key))
		}
	}
	if len(items) == 0 {
		return nil
	}
	fx, ok := addPolicyFix(c, fa, fmt.Sprintf("Add %s for %s to %s", strings.Join(names, " and "), k.Key, fa.ID), true, items...)
	if !ok {
		return nil
	}
	return []diag.Fix{fx}
}
