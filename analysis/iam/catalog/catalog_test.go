package catalog

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCounts(t *testing.T) {
	if got := len(Services()); got != generatedServices {
		t.Errorf("Services() = %d, want %d", got, generatedServices)
	}
	if got := NumActions(); got != generatedActions {
		t.Errorf("NumActions() = %d, want %d", got, generatedActions)
	}
	// The data README says S3 has 180 actions and 13 resource types.
	if got := len(ServiceActions("s3")); got != 180 {
		t.Errorf("s3 actions = %d, want 180", got)
	}
	if got := len(ServiceResources("s3")); got != 13 {
		t.Errorf("s3 resource types = %d, want 13", got)
	}
	if !slices.IsSorted(Services()) {
		t.Error("Services() not sorted")
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		in, want string // want "" = not found
	}{
		{"s3:GetObject", "s3:GetObject"},
		{"S3:getobject", "s3:GetObject"},
		{"IAM:listaccesskeys", "iam:ListAccessKeys"},
		{"kms:Decrypt", "kms:Decrypt"},
		{"lambda:InvokeFunction", "lambda:InvokeFunction"},
		{"logs:PutLogEvents", "logs:PutLogEvents"},
		{"sts:AssumeRole", "sts:AssumeRole"},
		{"ec2:CreateNetworkInterface", "ec2:CreateNetworkInterface"},
		{"a4b:ApproveSkill", "a4b:ApproveSkill"}, // first service
		{"s3:GetObjects", ""},
		{"s3:ListObjectsV2", ""}, // an API name, not an action
		{"s3:", ""},
		{"s3", ""},
		{"", ""},
		{"nosuchsvc:GetObject", ""},
		{"s3:Get*", ""}, // Lookup does not expand
		{":GetObject", ""},
	}
	for _, tt := range tests {
		a, ok := Lookup(tt.in)
		got := ""
		if ok {
			got = a.FullName()
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestActionDetail(t *testing.T) {
	a, _ := Lookup("s3:GetObject")
	if a.AccessLevel != "Read" || !strings.Contains(a.Description, "retrieve objects") {
		t.Errorf("GetObject = %+v", a)
	}
	want := []ResourceRef{{Name: "accesspointobject"}, {Name: "object"}}
	if !slices.Equal(a.ResourceTypes, want) {
		t.Errorf("GetObject resource types = %v, want %v", a.ResourceTypes, want)
	}
	if a.WildcardOnly() {
		t.Error("GetObject is not wildcard-only: its types are alternatives")
	}
	if !slices.Contains(a.ConditionKeys, "s3:ExistingObjectTag/<key>") {
		t.Errorf("GetObject condition keys = %v", a.ConditionKeys)
	}
	rs := a.Resources()
	if len(rs) != 2 || rs[1].ARN != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Errorf("GetObject Resources() = %v", rs)
	}
	for _, name := range []string{"s3:ListAllMyBuckets", "s3:ListAccessPoints", "s3:GetAccountPublicAccessBlock", "sts:GetCallerIdentity"} {
		if a, ok := Lookup(name); !ok || !a.WildcardOnly() {
			t.Errorf("%s: want WildcardOnly", name)
		}
	}
	// DOMAIN.md §4: bucket-only actions.
	for _, name := range []string{"s3:ListBucket", "s3:PutBucketPolicy", "s3:CreateBucket"} {
		a, _ := Lookup(name)
		if a.WildcardOnly() || !slices.ContainsFunc(a.ResourceTypes, func(r ResourceRef) bool { return r.Name == "bucket" }) {
			t.Errorf("%s resource types = %v", name, a.ResourceTypes)
		}
	}
	// An upstream resource type spelt with capitals.
	a, ok := Lookup("access-analyzer:GetAnalyzer")
	if !ok || len(a.ResourceTypes) == 0 || a.ResourceTypes[0].Name != "Analyzer" {
		t.Fatalf("access-analyzer:GetAnalyzer = %+v", a)
	}
	if _, ok := Resource("access-analyzer", "analyzer"); !ok {
		t.Error("Resource is case-insensitive")
	}
}

func TestResource(t *testing.T) {
	tests := []struct{ svc, name, arn string }{
		{"s3", "bucket", "arn:${Partition}:s3:::${BucketName}"},
		{"S3", "Object", "arn:${Partition}:s3:::${BucketName}/${ObjectName}"},
		{"s3", "accesspoint", "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}"},
		{"kms", "key", "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"},
		{"s3", "nosuch", ""},
		{"nosuch", "bucket", ""},
	}
	for _, tt := range tests {
		r, ok := Resource(tt.svc, tt.name)
		got := ""
		if ok {
			got = r.ARN
		}
		if got != tt.arn {
			t.Errorf("Resource(%q, %q) = %q, want %q", tt.svc, tt.name, got, tt.arn)
		}
	}
}

func names(as []*Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.FullName()
	}
	return out
}

func TestMatch(t *testing.T) {
	if got := len(Match("*")); got != generatedActions {
		t.Errorf("Match(*) = %d actions, want all %d", got, generatedActions)
	}
	if got := len(Match("s3:*")); got != 180 {
		t.Errorf("Match(s3:*) = %d, want 180", got)
	}
	if got := len(Match("S3:*")); got != 180 {
		t.Errorf("Match(S3:*) = %d, want 180 (case-insensitive)", got)
	}
	got := names(Match("s3:GetObject?ersion"))
	if !slices.Equal(got, []string{"s3:GetObjectVersion"}) {
		t.Errorf("Match(s3:GetObject?ersion) = %v", got)
	}
	got = names(Match("s3:getobject*"))
	for _, want := range []string{"s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectTagging", "s3:GetObjectVersion"} {
		if !slices.Contains(got, want) {
			t.Errorf("Match(s3:getobject*) lacks %s: %v", want, got)
		}
	}
	for _, a := range got {
		if !strings.HasPrefix(a, "s3:GetObject") {
			t.Errorf("Match(s3:getobject*) has %s", a)
		}
	}
	got = names(Match("s3*:*Object"))
	if !slices.Contains(got, "s3:GetObject") || !slices.Contains(got, "s3-object-lambda:GetObject") {
		t.Errorf("Match(s3*:*Object) = %v", got)
	}
	got = names(Match("*:ListAllMyBuckets"))
	if !slices.Equal(got, []string{"s3:ListAllMyBuckets"}) {
		t.Errorf("Match(*:ListAllMyBuckets) = %v", got)
	}
	for _, p := range []string{"s3:NoSuch", "nosuch:*", "", "s3:Get:Object", "s3"} {
		if got := Match(p); len(got) != 0 {
			t.Errorf("Match(%q) = %v, want none", p, names(got))
		}
	}
	if got := names(Match("s3:GetObject")); !slices.Equal(got, []string{"s3:GetObject"}) {
		t.Errorf("Match(s3:GetObject) = %v", got)
	}
	if got := len(Match("s3*")); got < 180 {
		t.Errorf("Match(s3*) = %d, want every s3 and s3-* action", got)
	}
}

func TestMatchesAction(t *testing.T) {
	tests := []struct {
		p, a string
		want bool
	}{
		{"s3:Get*", "s3:GetObject", true},
		{"S3:GET*", "s3:getobject", true},
		{"s3:*", "s3:GetObject", true},
		{"*", "kms:Decrypt", true},
		{"s3:?etObject", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:Get*", "s3-object-lambda:GetObject", false},
		{"iam:Pass*", "iam:PassRole", true},
		{"kms:*", "s3:GetObject", false},
		{"s3:GetObject", "s3:GetObjectAcl", false},
	}
	for _, tt := range tests {
		if got := MatchesAction(tt.p, tt.a); got != tt.want {
			t.Errorf("MatchesAction(%q, %q) = %v", tt.p, tt.a, got)
		}
	}
}

func TestServices(t *testing.T) {
	for _, s := range []string{"s3", "S3", "kms", "lambda", "ec2", "iam", "sts", "logs", "s3-object-lambda", "dynamodb", "bedrock"} {
		if !HasService(s) {
			t.Errorf("HasService(%q) = false", s)
		}
	}
	for _, s := range []string{"", "s4", "aws", "s3:"} {
		if HasService(s) {
			t.Errorf("HasService(%q) = true", s)
		}
	}
	if ServiceActions("nosuch") != nil {
		t.Error("ServiceActions(nosuch) != nil")
	}
	// ServiceActions hands out a copy of the list.
	as := ServiceActions("s3")
	as[0] = nil
	if ServiceActions("s3")[0] == nil {
		t.Error("ServiceActions shares its slice")
	}
}

func TestClosest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"s3:GetObjects", "s3:GetObject"},
		{"s3:getobjet", "s3:GetObject"},
		{"s3:PutObjekt", "s3:PutObject"},
		{"s3:ListBuckets", "s3:ListAllMyBuckets"}, // API name
		{"s3:ListObjectsV2", "s3:ListBucket"},
		{"s3:HeadObject", "s3:GetObject"},
		{"kms:GenerateDatakey", "kms:GenerateDataKey"},
		{"kms:Decript", "kms:Decrypt"},
		{"lambda:InvokeFunctions", "lambda:InvokeFunction"},
		{"logs:PutLogEvent", "logs:PutLogEvents"},
		{"s4:GetObject", "s3:GetObject"},
		{"dynamodb:GetItems", "dynamodb:GetItem"},
		{"s3:GetObject", "s3:GetObject"}, // exists: canonical spelling
		{"S3:GETOBJECT", "s3:GetObject"},
		{"s3:Frobnicate", ""},
		{"s3:Get*", ""},
		{"s3:", ""},
		{"nosuchservice:Thing", ""},
		{"GetObject", ""},
	}
	for _, tt := range tests {
		got, ok := Closest(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("Closest(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"ABC", "abc", 0}, {"abc", "abd", 1},
		{"abc", "ab", 1}, {"kitten", "sitting", 3}, {"", "abc", 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b, 100); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := distance("kitten", "sitting", 2); got < 2 {
		t.Errorf("limited distance = %d, want >= 2", got)
	}
}

func TestConditionKeys(t *testing.T) {
	tests := []struct{ svc, key, want string }{
		{"s3", "s3:ExistingObjectTag/env", "s3:ExistingObjectTag/<key>"},
		{"s3", "S3:x-amz-server-side-encryption-aws-kms-key-id", "s3:x-amz-server-side-encryption-aws-kms-key-id"},
		{"s3", "aws:ResourceTag/team", "aws:ResourceTag/${TagKey}"},
		{"s3", "s3:ExistingObjectTag/", ""},
		{"s3", "s3:NoSuchKey", ""},
		{"nosuch", "x:y", ""},
	}
	for _, tt := range tests {
		c, ok := LookupConditionKey(tt.svc, tt.key)
		got := ""
		if ok {
			got = c.Name
		}
		if got != tt.want {
			t.Errorf("LookupConditionKey(%q, %q) = %q, want %q", tt.svc, tt.key, got, tt.want)
		}
	}
	if c, _ := LookupConditionKey("s3", "s3:TlsVersion"); c == nil || c.Type != "Numeric" {
		t.Errorf("s3:TlsVersion = %+v", c)
	}
	if len(ServiceConditionKeys("kms")) == 0 {
		t.Error("no kms condition keys")
	}
}

// TestDecodeTime keeps an eye on start-up cost; the limit is generous
// because CI machines are shared, the benchmark gives the real number.
func TestDecodeTime(t *testing.T) {
	start := time.Now()
	if _, err := decode(blob); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("decode took %v", d)
	}
}

func TestDecodeCorrupt(t *testing.T) {
	bad := [][]byte{nil, []byte("not gzip"), blob[:len(blob)/2]}
	for _, b := range bad {
		if _, err := decode(b); err == nil {
			t.Errorf("decode(%d bytes) succeeded", len(b))
		}
	}
}
