package managedpolicies

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
)

type statement struct {
	Effect   string
	Action   json.RawMessage
	Resource json.RawMessage
}

func parse(t *testing.T, p *Policy) []statement {
	t.Helper()
	var doc struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal(p.Document, &doc); err != nil {
		t.Fatalf("%s: document: %v", p.Name, err)
	}
	var stmts []statement
	if bytes.HasPrefix(doc.Statement, []byte("{")) {
		var s statement
		if err := json.Unmarshal(doc.Statement, &s); err != nil {
			t.Fatalf("%s: statement: %v", p.Name, err)
		}
		stmts = []statement{s}
	} else if err := json.Unmarshal(doc.Statement, &stmts); err != nil {
		t.Fatalf("%s: statements: %v", p.Name, err)
	}
	return stmts
}

func actions(t *testing.T, p *Policy) []string {
	t.Helper()
	var all []string
	for _, s := range parse(t, p) {
		var list []string
		if err := json.Unmarshal(s.Action, &list); err != nil {
			var one string
			if err := json.Unmarshal(s.Action, &one); err != nil {
				continue // NotAction
			}
			list = []string{one}
		}
		all = append(all, list...)
	}
	return all
}

func TestKnownPolicies(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		actions    []string
	}{
		{"AWSLambdaBasicExecutionRole", "/service-role/", []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}},
		{"AWSLambdaVPCAccessExecutionRole", "/service-role/", []string{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces"}},
		{"AmazonS3ReadOnlyAccess", "/", []string{"s3:Get*", "s3:List*"}},
		{"AmazonS3FullAccess", "/", []string{"s3:*"}},
		{"AWSXrayWriteOnlyAccess", "/", []string{"xray:PutTraceSegments"}},
		{"AdministratorAccess", "/", []string{"*"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := ByName(tc.name)
			if !ok {
				t.Fatal("not found")
			}
			if p.Name != tc.name || p.Path != tc.path {
				t.Errorf("Name, Path = %q, %q; want %q, %q", p.Name, p.Path, tc.name, tc.path)
			}
			wantARN := "arn:aws:iam::aws:policy" + tc.path + tc.name
			if p.ARN != wantARN {
				t.Errorf("ARN = %q, want %q", p.ARN, wantARN)
			}
			stmts := parse(t, p)
			if len(stmts) == 0 {
				t.Fatal("no statements")
			}
			for _, s := range stmts {
				if s.Effect != "Allow" {
					t.Errorf("Effect = %q", s.Effect)
				}
			}
			got := actions(t, p)
			for _, a := range tc.actions {
				if !slices.Contains(got, a) {
					t.Errorf("missing action %s; have %v", a, got)
				}
			}
			if q, ok := ByARN(wantARN); !ok || q != p {
				t.Errorf("ByARN(%q) = %v, %v", wantARN, q, ok)
			}
		})
	}
}

func TestUnknown(t *testing.T) {
	for _, name := range []string{"", "NoSuchPolicy", "amazons3readonlyaccess", "AmazonS3ReadOnlyAccess ", "service-role/AWSLambdaBasicExecutionRole"} {
		if p, ok := ByName(name); ok {
			t.Errorf("ByName(%q) = %v", name, p.ARN)
		}
	}
}

func TestByARN(t *testing.T) {
	const lambda = "AWSLambdaBasicExecutionRole"
	for _, tc := range []struct {
		arn  string
		want string
	}{
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", lambda},
		{"arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", lambda},
		{"arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", lambda},
		{"arn:aws-iso-b:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", lambda},
		{"arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", lambda},
		{"arn:${AWS::Partition}:iam::aws:policy/AmazonS3ReadOnlyAccess", "AmazonS3ReadOnlyAccess"},
		{"arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy", "AWSSupportServiceRolePolicy"},

		{"arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole", ""},              // wrong path
		{"arn:aws:iam::aws:policy/job-function/AWSLambdaBasicExecutionRole", ""}, // wrong path
		{"arn:aws:iam::aws:policy//service-role/AWSLambdaBasicExecutionRole", ""},
		{"arn:aws:iam::aws:policy/service-role/AmazonS3ReadOnlyAccess", ""},
		{"arn:aws:iam::123456789012:policy/AmazonS3ReadOnlyAccess", ""}, // customer managed
		{"arn:aws:iam:us-east-1:aws:policy/AmazonS3ReadOnlyAccess", ""},
		{"arn:foo:iam::aws:policy/AmazonS3ReadOnlyAccess", ""},
		{"arn:aws-:iam::aws:policy/AmazonS3ReadOnlyAccess", ""},
		{"arn::iam::aws:policy/AmazonS3ReadOnlyAccess", ""},
		{"arn:${AWS::Region}:iam::aws:policy/AmazonS3ReadOnlyAccess", ""},
		{"arn:aws:iam::aws:policy/", ""},
		{"arn:aws:iam::aws:policy", ""},
		{"AmazonS3ReadOnlyAccess", ""},
		{"", ""},
	} {
		p, ok := ByARN(tc.arn)
		switch {
		case tc.want == "" && ok:
			t.Errorf("ByARN(%q) = %s, want not found", tc.arn, p.ARN)
		case tc.want != "" && (!ok || p.Name != tc.want):
			t.Errorf("ByARN(%q) = %v, %v; want %s", tc.arn, p, ok, tc.want)
		}
	}
}

func TestAll(t *testing.T) {
	names := Names()
	if len(names) < 1500 {
		t.Fatalf("%d policies, want >= 1500", len(names))
	}
	if !slices.IsSorted(names) {
		t.Error("Names not sorted")
	}
	names[0] = "clobbered"
	if Names()[0] == "clobbered" {
		t.Error("Names shares its slice with the caller")
	}
	paths := map[string]int{}
	for _, name := range Names() {
		p, ok := ByName(name)
		if !ok {
			t.Fatalf("ByName(%q) not found", name)
		}
		paths[p.Path]++
		if !strings.HasPrefix(p.Path, "/") || !strings.HasSuffix(p.Path, "/") {
			t.Errorf("%s: Path %q", name, p.Path)
		}
		if p.ARN != "arn:aws:iam::aws:policy"+p.Path+p.Name {
			t.Errorf("%s: ARN %q, Path %q", name, p.ARN, p.Path)
		}
		if q, ok := ByARN(p.ARN); !ok || q != p {
			t.Errorf("ByARN(%q) failed", p.ARN)
		}
		if !json.Valid(p.Document) {
			t.Errorf("%s: invalid JSON document", name)
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, p.Document); err != nil || !bytes.Equal(compact.Bytes(), p.Document) {
			t.Errorf("%s: document not minified", name)
		}
		if cap(p.Document) != len(p.Document) {
			t.Errorf("%s: Document capacity exceeds its length; appends would overwrite shared data", name)
		}
		if len(parse(t, p)) == 0 {
			t.Errorf("%s: no statements", name)
		}
	}
	t.Logf("%d policies by path: %v", len(names), paths)
}

func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(compressed)))
	for b.Loop() {
		if _, err := decode(compressed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstLookup is the cost a CLI run pays: decode plus index once,
// then one lookup.
func BenchmarkFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		policies, byName, names = nil, nil, nil
		loadOnce = sync.Once{}
		if _, ok := ByName("AWSLambdaBasicExecutionRole"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkByARN(b *testing.B) {
	load()
	for b.Loop() {
		if _, ok := ByARN("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"); !ok {
			b.Fatal("not found")
		}
	}
}
