package samtemplates

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

type statement struct {
	Sid       string
	Effect    string
	Action    json.RawMessage
	Resource  json.RawMessage
	Condition json.RawMessage
}

func statements(t *testing.T, tmpl *Template) []statement {
	t.Helper()
	var def struct{ Statement []statement }
	dec := json.NewDecoder(bytes.NewReader(tmpl.Definition))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&def); err != nil {
		t.Fatalf("%s: Definition: %v", tmpl.Name, err)
	}
	return def.Statement
}

func strs(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list
	}
	var one string
	if err := json.Unmarshal(raw, &one); err != nil {
		t.Fatalf("not a string or string list: %s", raw)
	}
	return []string{one}
}

// resources renders each resource as its Fn::Sub template string (or the
// literal string).
func resources(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		list = []json.RawMessage{raw}
	}
	var out []string
	for _, r := range list {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		var sub struct {
			Sub []json.RawMessage `json:"Fn::Sub"`
		}
		if err := json.Unmarshal(r, &sub); err != nil || len(sub.Sub) == 0 {
			t.Fatalf("unexpected resource %s", r)
		}
		if err := json.Unmarshal(sub.Sub[0], &s); err != nil {
			t.Fatalf("unexpected resource %s", r)
		}
		out = append(out, s)
	}
	return out
}

func TestCount(t *testing.T) {
	names := Names()
	if len(names) != 81 {
		t.Fatalf("%d templates, want 81", len(names))
	}
	if !slices.IsSorted(names) {
		t.Error("Names not sorted")
	}
	names[0] = "clobbered"
	if Names()[0] == "clobbered" {
		t.Error("Names shares its slice with the caller")
	}
}

func TestAll(t *testing.T) {
	for _, name := range Names() {
		tmpl, ok := Lookup(name)
		if !ok || tmpl.Name != name {
			t.Fatalf("Lookup(%q) = %v, %v", name, tmpl, ok)
		}
		if tmpl.Description == "" {
			t.Errorf("%s: no description", name)
		}
		if !json.Valid(tmpl.Definition) {
			t.Fatalf("%s: invalid Definition JSON", name)
		}
		if !bytes.Contains(raw, tmpl.Definition) {
			t.Errorf("%s: Definition is not byte-for-byte from the file", name)
		}
		stmts := statements(t, tmpl)
		if len(stmts) == 0 {
			t.Errorf("%s: no statements", name)
		}
		for _, s := range stmts {
			if s.Effect != "Allow" || len(s.Action) == 0 || len(s.Resource) == 0 {
				t.Errorf("%s: incomplete statement %+v", name, s)
			}
		}
		// Every parameter is used through a Ref in this version of the data.
		if refs := tmpl.ParamRefs(); !slices.Equal(refs, slices.Sorted(slices.Values(tmpl.Parameters))) {
			t.Errorf("%s: ParamRefs = %v, Parameters = %v", name, refs, tmpl.Parameters)
		}
	}
	if _, ok := Lookup("s3readpolicy"); ok {
		t.Error("Lookup is not exact")
	}
	if _, ok := Lookup("NoSuchPolicy"); ok {
		t.Error("Lookup(NoSuchPolicy) found")
	}
}

// TestS3 checks the S3 templates against DOMAIN.md §7.
func TestS3(t *testing.T) {
	const (
		b = "arn:${AWS::Partition}:s3:::${bucketName}"
		o = b + "/*"
	)
	type stmt struct {
		actions   string
		resources []string
	}
	for name, want := range map[string][]stmt{
		"S3ReadPolicy":  {{"GetObject ListBucket GetBucketLocation GetObjectVersion GetLifecycleConfiguration", []string{b, o}}},
		"S3WritePolicy": {{"PutObject PutObjectAcl PutLifecycleConfiguration", []string{b, o}}},
		"S3CrudPolicy":  {{"GetObject ListBucket GetBucketLocation GetObjectVersion PutObject PutObjectAcl GetLifecycleConfiguration PutLifecycleConfiguration DeleteObject", []string{b, o}}},
		"S3FullAccessPolicy": {
			{"GetObject GetObjectAcl GetObjectVersion PutObject PutObjectAcl DeleteObject DeleteObjectTagging DeleteObjectVersionTagging GetObjectTagging GetObjectVersionTagging PutObjectTagging PutObjectVersionTagging", []string{o}},
			{"ListBucket GetBucketLocation GetLifecycleConfiguration PutLifecycleConfiguration", []string{b}},
		},
	} {
		tmpl, ok := Lookup(name)
		if !ok {
			t.Fatalf("%s missing", name)
		}
		if !slices.Equal(tmpl.Parameters, []string{"BucketName"}) {
			t.Errorf("%s: Parameters = %v", name, tmpl.Parameters)
		}
		stmts := statements(t, tmpl)
		if len(stmts) != len(want) {
			t.Fatalf("%s: %d statements, want %d", name, len(stmts), len(want))
		}
		for i, w := range want {
			var wantActions []string
			for _, a := range strings.Fields(w.actions) {
				wantActions = append(wantActions, "s3:"+a)
			}
			if got := strs(t, stmts[i].Action); !slices.Equal(got, wantActions) {
				t.Errorf("%s[%d]: actions %v, want %v", name, i, got, wantActions)
			}
			if got := resources(t, stmts[i].Resource); !slices.Equal(got, w.resources) {
				t.Errorf("%s[%d]: resources %v, want %v", name, i, got, w.resources)
			}
		}
		for _, bad := range []string{"AbortMultipartUpload", "ListMultipartUploadParts", "kms:"} {
			if bytes.Contains(tmpl.Definition, []byte(bad)) {
				t.Errorf("%s grants %s", name, bad)
			}
		}
	}
}

func TestKMSAndVPC(t *testing.T) {
	const key = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}"
	for _, tc := range []struct {
		name      string
		params    []string
		actions   []string
		resources []string
	}{
		{"KMSDecryptPolicy", []string{"KeyId"}, []string{"kms:Decrypt"}, []string{key}},
		{"KMSEncryptPolicy", []string{"KeyId"}, []string{"kms:Encrypt"}, []string{key}},
		{"VPCAccessPolicy", nil, []string{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface"}, []string{"*"}},
	} {
		tmpl, ok := Lookup(tc.name)
		if !ok {
			t.Fatalf("%s missing", tc.name)
		}
		if !slices.Equal(tmpl.Parameters, tc.params) || !slices.Equal(tmpl.ParamRefs(), tc.params) {
			t.Errorf("%s: Parameters %v, ParamRefs %v; want %v", tc.name, tmpl.Parameters, tmpl.ParamRefs(), tc.params)
		}
		stmts := statements(t, tmpl)
		if len(stmts) != 1 {
			t.Fatalf("%s: %d statements", tc.name, len(stmts))
		}
		if got := strs(t, stmts[0].Action); !slices.Equal(got, tc.actions) {
			t.Errorf("%s: actions %v, want %v", tc.name, got, tc.actions)
		}
		if got := resources(t, stmts[0].Resource); !slices.Equal(got, tc.resources) {
			t.Errorf("%s: resources %v, want %v", tc.name, got, tc.resources)
		}
	}
	v2, ok := Lookup("KMSEncryptPolicy_v2")
	if !ok {
		t.Fatal("KMSEncryptPolicy_v2 missing")
	}
	// DOMAIN.md §5 summarises these as kms:GenerateDataKey*; the file lists them.
	want := []string{"kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext"}
	if got := strs(t, statements(t, v2)[0].Action); !slices.Equal(got, want) {
		t.Errorf("KMSEncryptPolicy_v2 actions %v, want %v", got, want)
	}
}

func TestParamRefs(t *testing.T) {
	tmpl := &Template{
		Parameters: []string{"B", "A", "Unused"},
		Definition: []byte(`{"Statement":[{"Resource":[{"Ref":"A"},{"Ref":"AWS::Partition"},{"Fn::Sub":["${x}",{"x":{"Ref":"B"}}]},{"Ref":"A"},{"Ref":"Other"}]}]}`),
	}
	if got, want := tmpl.ParamRefs(), []string{"A", "B"}; !slices.Equal(got, want) {
		t.Errorf("ParamRefs = %v, want %v", got, want)
	}
	multi, _ := Lookup("DynamoDBStreamReadPolicy")
	if got, want := multi.ParamRefs(), []string{"StreamName", "TableName"}; !slices.Equal(got, want) {
		t.Errorf("DynamoDBStreamReadPolicy ParamRefs = %v, want %v", got, want)
	}
}

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}
