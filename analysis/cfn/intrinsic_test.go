package cfn_test

import (
	"testing"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/source"
)

const intrinsicTemplate = `
Parameters:
  Stage: {Type: String}
Mappings:
  Env:
    prod: {Suffix: live}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  DataBucket: {Type: AWS::S3::Bucket}
  Named:
    Type: AWS::S3::Bucket
    Properties: {BucketName: my-named-bucket}
  Role: {Type: AWS::IAM::Role, Properties: {Path: /app/}}
  Key: {Type: AWS::KMS::Key}
Outputs:
  Values:
    Value:
      - !GetAtt DataBucket.Arn
      - !Sub '${DataBucket.Arn}/*'
      - !Sub 'arn:${AWS::Partition}:s3:::${DataBucket}/${!Literal}'
      - !Join ['', ['arn:aws:s3:::', !Ref DataBucket, '/in/*']]
      - !Sub ['${B}/x', {B: !GetAtt Named.Arn}]
      - !Ref Stage
      - !Select [1, [a, b, c]]
      - !If [IsProd, prod-bucket, dev-bucket]
      - !FindInMap [Env, prod, Suffix]
      - !ImportValue SharedBucket
      - !GetAtt Role.Arn
      - {"Fn::GetAtt": ["Key", "Arn"]}
      - !Ref AWS::Region
      - !Base64 abc
      - !Sub 'a-${Undefined}'
`

func TestEval(t *testing.T) {
	doc := source.Parse("t.yaml", []byte(intrinsicTemplate))
	if doc.Err != nil {
		t.Fatal(doc.Err)
	}
	tpl := cfn.Build(doc)
	items := doc.Root.Get("Outputs").Get("Values").Get("Value").Items
	want := [][]string{
		{"arn:${AWS::Partition}:s3:::${DataBucket}"},
		{"arn:${AWS::Partition}:s3:::${DataBucket}/*"},
		{"arn:${AWS::Partition}:s3:::${DataBucket}/${Literal}"},
		{"arn:aws:s3:::${DataBucket}/in/*"},
		{"arn:${AWS::Partition}:s3:::my-named-bucket/x"},
		{"${Stage}"},
		{"b"},
		{"prod-bucket", "dev-bucket"},
		{"live"},
		{"${ImportValue SharedBucket}"},
		{"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app/${Role}"},
		{"arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}"},
		{"${AWS::Region}"},
		{"${?}"},
		{"a-${?}"},
	}
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for i, it := range items {
		got := tpl.Eval(it)
		var gs []string
		for _, v := range got {
			gs = append(gs, v.String())
		}
		if len(gs) != len(want[i]) {
			t.Errorf("item %d: got %q, want %q", i, gs, want[i])
			continue
		}
		for j := range gs {
			if gs[j] != want[i][j] {
				t.Errorf("item %d: got %q, want %q", i, gs, want[i])
			}
		}
	}
}

func TestSplitSub(t *testing.T) {
	segs := cfn.SplitSub("arn:${AWS::Partition}:s3:::${B}/${!aws:username}/*")
	var got []string
	for _, s := range segs {
		if s.Var {
			got = append(got, "<"+s.Text+">")
		} else {
			got = append(got, s.Text)
		}
	}
	want := []string{"arn:", "<AWS::Partition>", ":s3:::", "<B>", "/${aws:username}/*"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

func TestGlobalsMerge(t *testing.T) {
	doc := source.Parse("t.yaml", []byte(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
    Environment:
      Variables: {A: global, B: global}
    Layers: [g1]
    VpcConfig:
      SubnetIds: [s1]
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Environment:
        Variables: {B: local}
      Layers: [l1]
`))
	tpl := cfn.Build(doc)
	f := tpl.Function("F")
	if f == nil {
		t.Fatal("no function F")
	}
	if s, _ := f.Prop("Timeout").Str(); s != "30" {
		t.Errorf("Timeout = %q, want the resource's 30", s)
	}
	vars := f.Prop("Environment").Get("Variables")
	if a, _ := vars.Get("A").Str(); a != "global" {
		t.Errorf("A = %q, want inherited", a)
	}
	if b, _ := vars.Get("B").Str(); b != "local" {
		t.Errorf("B = %q, want the resource's", b)
	}
	layers := f.Prop("Layers").Items
	if len(layers) != 2 || layers[0].Value != "g1" || layers[1].Value != "l1" {
		t.Errorf("Layers not prepended: %+v", layers)
	}
	if f.Prop("VpcConfig") == nil || !f.FromGlobals["VpcConfig"] {
		t.Errorf("VpcConfig should come from Globals")
	}
	if _, ok := tpl.Resources["FRole"]; !ok {
		t.Errorf("SAM's implicit role FRole is missing")
	}
}
