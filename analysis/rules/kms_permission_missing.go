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
		"only kms:Encrypt, not GenerateDataKey); for an explicit role of the template, a statement allowing the " +
		"missing actions on `!GetAtt Key.Arn` in the role's inline policy.",
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
	if !fa.Role.Implicit {
		if fx, ok := roleStatementFix(c, fa, k); ok {
			return []diag.Fix{fx}
		}
		return nil
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

// roleStatementFix allows the missing KMS actions on the key in an
// explicit role of the template: a statement appended to the role's first
// inline policy, or a new inline policy when the role has none.
func roleStatementFix(c *Context, fa *access.FunctionAccess, k *access.KMSNeed) (diag.Fix, bool) {
	role := c.Template.Resources[fa.Role.ID]
	if fa.Role.External || role == nil || role.Implicit || role.Type != "AWS::IAM::Role" || role.Properties == nil {
		return diag.Fix{}, false
	}
	var actions []edit.Value
	for _, m := range k.Missing {
		actions = append(actions, edit.Str(m))
	}
	stmt := edit.Map(
		edit.Field{Key: "Effect", Value: edit.Str("Allow")},
		edit.Field{Key: "Action", Value: edit.List(actions...)},
		edit.Field{Key: "Resource", Value: edit.Val(edit.GetAtt(k.Key, "Arn"))},
	)
	title := fmt.Sprintf("Allow %s on %s in role %s", strings.Join(k.Missing, " and "), k.Key, role.ID)
	policies := role.Prop("Policies")
	if policies != nil && policies.Kind == source.Sequence && len(policies.Items) > 0 {
		if list := policies.Items[0].Get("PolicyDocument").Get("Statement"); list != nil && list.Kind == source.Sequence {
			if e, ok := edit.AppendItems(c.Doc, list, stmt); ok {
				return diag.Fix{Title: title, Edits: []diag.Edit{e}, Preferred: true}, true
			}
		}
	}
	policy := edit.Map(
		edit.Field{Key: "PolicyName", Value: edit.Str(k.Key + "-access")},
		edit.Field{Key: "PolicyDocument", Value: edit.Map(
			edit.Field{Key: "Version", Value: edit.Str("2012-10-17")},
			edit.Field{Key: "Statement", Value: edit.List(stmt)},
		)},
	)
	var e diag.Edit
	ok := false
	if policies == nil && role.Properties.Pair("Policies") == nil {
		e, ok = edit.InsertEntry(c.Doc, role.Properties, "Policies", edit.List(policy))
	} else if policies != nil {
		e, ok = edit.AppendItems(c.Doc, policies, policy)
	}
	if !ok {
		return diag.Fix{}, false
	}
	return diag.Fix{Title: title, Edits: []diag.Edit{e}, Preferred: true}, true
}
