package access

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
	"github.com/iamlens/iamlens/analysis/value"
)

// SSE-KMS: S3 calls KMS with the caller's permissions. Reading an object
// needs kms:Decrypt on the bucket's key, writing one kms:GenerateDataKey
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys).
// For a key of the same account the permission comes from IAM only when
// the key policy enables IAM (the account-root statement); otherwise the
// key policy itself must name the role
// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).

// KMSKey is an AWS::KMS::Key of the template.
type KMSKey struct {
	ID       string
	Resource *cfn.Resource
	Policy   *iam.Policy // KeyPolicy, nil when absent (the default policy enables IAM)
}

// KMSNeed is what a function needs from a bucket's KMS key.
type KMSNeed struct {
	Key   string // logical id of the template key, or the KMSMasterKeyID as written
	Known bool   // the key is a template key
	Needs []string
	// Missing are needs the role certainly lacks; Unknown those the
	// template cannot settle.
	Missing []string
	Unknown []string
	// KeyPolicyBlocks: the key policy neither enables IAM nor names the
	// role, so IAM grants alone cannot work.
	KeyPolicyBlocks bool
	// Writes/Reads name an action that makes the need (for messages).
	Reads, Writes string
}

func (e *engine) kms(fa *FunctionAccess, ba *BucketAccess) {
	b := ba.Bucket
	if b.External || !strings.HasPrefix(b.Encryption, "aws:kms") || b.KMSKeyText == "" {
		return
	}
	need := &KMSNeed{Key: b.KMSKeyText}
	for _, d := range ba.Decisions {
		if d.Verdict != Allowed || !d.Object {
			continue
		}
		switch d.Action {
		case "s3:GetObject", "s3:GetObjectVersion":
			if need.Reads == "" {
				need.Reads = d.Action
			}
		case "s3:PutObject":
			need.Writes = d.Action
		}
	}
	if need.Reads != "" {
		need.Needs = append(need.Needs, "kms:Decrypt")
	}
	if need.Writes != "" {
		need.Needs = append(need.Needs, "kms:GenerateDataKey")
	}
	if len(need.Needs) == 0 {
		return
	}
	ba.KMS = need
	key := e.r.KMSKeys[b.KMSKey]
	if key == nil {
		need.Unknown = append(need.Unknown, need.Needs...)
		return
	}
	need.Key, need.Known = key.ID, true
	keyARN := e.t.GetAtt(key.ID, "Arn")
	enables, names := value.True, value.False
	if key.Policy != nil {
		enables, names = keyPolicyFor(key.Policy, fa.Role)
	}
	if enables == value.False && names == value.False {
		need.KeyPolicyBlocks = true
	}
	for _, action := range need.Needs {
		iamAllows := kmsIdentityAllows(fa.Role, action, keyARN)
		granted := value.Or(value.And(enables, iamAllows), names)
		if key.Policy != nil {
			granted = value.Or(value.And(enables, iamAllows), keyPolicyGrants(key.Policy, fa.Role, action))
		}
		switch granted {
		case value.False:
			need.Missing = append(need.Missing, action)
		case value.Maybe:
			need.Unknown = append(need.Unknown, action)
		}
	}
}

// kmsActionMatch: whether a statement's Action element covers a KMS action.
func kmsActionMatch(st *iam.Statement, action string) value.Tri {
	any := value.False
	for _, el := range st.Actions {
		s, ok := el.Value.Literal()
		if !ok {
			any = value.Or(any, value.Maybe)
			continue
		}
		if catalog.MatchesAction(s, action) {
			if el.Alternative {
				any = value.Or(any, value.Maybe)
			} else {
				any = value.True
			}
		}
	}
	if st.NotAction {
		return any.Not()
	}
	return any
}

func resourceMatch(st *iam.Statement, res value.Str) value.Tri {
	if st.ResourceKey == nil {
		return value.False
	}
	any := value.False
	for _, el := range st.Resources {
		m := arn.Covers(el.Value, res)
		if el.Alternative {
			m = capMaybe(m)
		}
		any = value.Or(any, m)
	}
	if st.NotResource {
		return any.Not()
	}
	return any
}

// kmsIdentityAllows decides whether the role's identity policies (and its
// boundary) allow a KMS action on the key. Conditions the template cannot
// decide (kms:ViaService, encryption context) leave it unknown.
func kmsIdentityAllows(role *Role, action string, keyARN value.Str) value.Tri {
	allow, deny := value.False, value.False
	for _, p := range role.Identity {
		for _, st := range p.Statements {
			m := value.And(kmsActionMatch(st, action), resourceMatch(st, keyARN))
			if m == value.False {
				continue
			}
			if len(st.Conditions) > 0 {
				m = value.And(m, value.Maybe)
			}
			if st.Allow() {
				allow = value.Or(allow, m)
			} else if st.Effect == "Deny" {
				deny = value.Or(deny, m)
			}
		}
	}
	if len(role.Unknown) > 0 {
		allow = value.Or(allow, value.Maybe)
	}
	if role.Boundary != nil {
		b := value.False
		for _, st := range role.Boundary.Statements {
			if st.Allow() {
				b = value.Or(b, value.And(kmsActionMatch(st, action), resourceMatch(st, keyARN)))
			}
		}
		allow = value.And(allow, b)
	}
	return value.And(allow, deny.Not())
}

// keyPolicyFor reads a key policy: whether it enables IAM policies (an
// Allow to the account root for kms:*), and whether it names the role.
func keyPolicyFor(p *iam.Policy, role *Role) (enables, names value.Tri) {
	enables, names = value.False, value.False
	for _, st := range p.Statements {
		if !st.Allow() {
			continue
		}
		for _, pr := range st.Principals {
			if pr.Type != "AWS" {
				continue
			}
			if acct, ok := accountPrincipal(pr.Element.Value); ok {
				enables = value.Or(enables, value.And(acct, kmsActionMatch(st, "kms:Decrypt")))
			}
		}
		names = value.Or(names, principalMatch(st, role, true))
	}
	return enables, names
}

// keyPolicyGrants decides whether the key policy itself allows the role
// the action.
func keyPolicyGrants(p *iam.Policy, role *Role, action string) value.Tri {
	out := value.False
	for _, st := range p.Statements {
		if !st.Allow() {
			continue
		}
		m := value.And(principalMatch(st, role, true), kmsActionMatch(st, action))
		if len(st.Conditions) > 0 {
			m = value.And(m, value.Maybe)
		}
		out = value.Or(out, m)
	}
	return out
}
