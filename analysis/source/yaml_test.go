package source

import (
	"strings"
	"testing"
)

// A template exercising every scalar style, flow collections and the
// short-form tags; the spans below are checked against its text.
const yamlTemplate = `# comment
Parameters:
  Env: {Type: String, Default: 'dev'}
Resources:
  Fn:
    Type: AWS::Serverless::Function   # trailing comment
    Properties:
      Role: !GetAtt FnRole.Arn
      Role2: !GetAtt [FnRole, Arn]
      Role3: !GetAtt "Fn.Role.Arn"
      Bucket: !Ref Bucket
      Name: !Sub
        - '${Env}-fn'
        - {Env: !Ref Env}
      Chosen: !If [IsProd, !Ref A, !Ref B]
      Unknown: !Foo bar
      Quoted: "a \"b\"
        c"
      Single: 'it''s'
      Plain: first
        second
      Literal: |
        line one
          line two

      Folded: >-
        folded
        text
      Count: 3
      Float: 1.5
      Flag: true
      Nothing: ~
      Empty:
      Date: 2012-10-17
      List:
        - x
        - y: z
      日本: !Ref 語
`

func TestParseYAMLSpans(t *testing.T) {
	text := []byte(yamlTemplate)
	root, err := ParseYAML(text)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, text, root)
	props := []string{"Resources", "Fn", "Properties"}
	p := func(path ...string) []string { return append(append([]string{}, props...), path...) }
	tests := []struct {
		name  string
		path  []string
		span  string
		value string
		kind  Kind
		typ   ScalarType
		style Style
	}{
		{"flow mapping", []string{"Parameters", "Env"}, `{Type: String, Default: 'dev'}`, "", Mapping, String, Flow},
		{"plain in flow", []string{"Parameters", "Env", "Type"}, `String`, "String", Scalar, String, Plain},
		{"single in flow", []string{"Parameters", "Env", "Default"}, `'dev'`, "dev", Scalar, String, SingleQuoted},
		{"plain before comment", []string{"Resources", "Fn", "Type"}, `AWS::Serverless::Function`, "AWS::Serverless::Function", Scalar, String, Plain},
		{"block mapping", p("Role"), "!GetAtt FnRole.Arn", "", Mapping, String, Plain},
		{"getatt split first", p("Role", "Fn::GetAtt", "0"), "FnRole", "FnRole", Scalar, String, Plain},
		{"getatt split second", p("Role", "Fn::GetAtt", "1"), "Arn", "Arn", Scalar, String, Plain},
		{"getatt sequence", p("Role2", "Fn::GetAtt"), "[FnRole, Arn]", "", Sequence, String, Flow},
		{"getatt quoted split at first dot", p("Role3", "Fn::GetAtt", "1"), "Role.Arn", "Role.Arn", Scalar, String, Plain},
		{"getatt quoted whole", p("Role3", "Fn::GetAtt"), `"Fn.Role.Arn"`, "", Sequence, String, DoubleQuoted},
		{"ref inner", p("Bucket", "Ref"), "Bucket", "Bucket", Scalar, String, Plain},
		{"sub whole", p("Name"), "!Sub\n        - '${Env}-fn'\n        - {Env: !Ref Env}", "", Mapping, String, Plain},
		{"sub list", p("Name", "Fn::Sub"), "- '${Env}-fn'\n        - {Env: !Ref Env}", "", Sequence, String, Plain},
		{"sub string", p("Name", "Fn::Sub", "0"), "'${Env}-fn'", "${Env}-fn", Scalar, String, SingleQuoted},
		{"ref in flow map", p("Name", "Fn::Sub", "1", "Env"), "!Ref Env", "", Mapping, String, Plain},
		{"if whole", p("Chosen"), "!If [IsProd, !Ref A, !Ref B]", "", Mapping, String, Plain},
		{"if args", p("Chosen", "Fn::If"), "[IsProd, !Ref A, !Ref B]", "", Sequence, String, Flow},
		{"nested ref in if", p("Chosen", "Fn::If", "2"), "!Ref B", "", Mapping, String, Plain},
		{"nested ref value", p("Chosen", "Fn::If", "2", "Ref"), "B", "B", Scalar, String, Plain},
		{"unknown tag stays", p("Unknown"), "!Foo bar", "bar", Scalar, String, Plain},
		{"double quoted multi-line", p("Quoted"), "\"a \\\"b\\\"\n        c\"", `a "b" c`, Scalar, String, DoubleQuoted},
		{"single quoted escape", p("Single"), "'it''s'", "it's", Scalar, String, SingleQuoted},
		{"multi-line plain", p("Plain"), "first\n        second", "first second", Scalar, String, Plain},
		{"literal without trailing blank lines", p("Literal"), "|\n        line one\n          line two", "line one\n  line two\n", Scalar, String, Literal},
		{"folded", p("Folded"), ">-\n        folded\n        text", "folded text", Scalar, String, Folded},
		{"int", p("Count"), "3", "3", Scalar, Number, Plain},
		{"float", p("Float"), "1.5", "1.5", Scalar, Number, Plain},
		{"bool", p("Flag"), "true", "true", Scalar, Bool, Plain},
		{"null", p("Nothing"), "~", "~", Scalar, Null, Plain},
		{"empty value", p("Empty"), "", "", Scalar, Null, Plain},
		{"date is a string", p("Date"), "2012-10-17", "2012-10-17", Scalar, String, Plain},
		{"block sequence", p("List"), "- x\n        - y: z", "", Sequence, String, Plain},
		{"mapping in sequence", p("List", "1"), "y: z", "", Mapping, String, Plain},
		{"cjk", p("日本", "Ref"), "語", "語", Scalar, String, Plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := at(root, tt.path...)
			if n == nil {
				t.Fatalf("no node at %v in\n%s", tt.path, describe(text, root))
			}
			if got := spanText(text, n.Span); got != tt.span {
				t.Errorf("span = %q, want %q", got, tt.span)
			}
			if n.Value != tt.value || n.Kind != tt.kind || n.ScalarType != tt.typ || n.Style != tt.style {
				t.Errorf("got value %q kind %d type %d style %d, want %q %d %d %d",
					n.Value, n.Kind, n.ScalarType, n.Style, tt.value, tt.kind, tt.typ, tt.style)
			}
		})
	}

	keys := []struct {
		path []string
		span string
	}{
		{p("Role", "Fn::GetAtt"), "!GetAtt"},
		{p("Name", "Fn::Sub"), "!Sub"},
		{p("Chosen", "Fn::If", "1", "Ref"), "!Ref"},
		{p("Quoted"), "Quoted"},
		{p("日本"), "日本"},
	}
	for _, k := range keys {
		pair := keyAt(root, k.path...)
		if pair == nil {
			t.Errorf("no pair at %v", k.path)
			continue
		}
		if got := spanText(text, pair.KeySpan); got != k.span {
			t.Errorf("key span at %v = %q, want %q", k.path, got, k.span)
		}
	}

	ref := at(root, p("Bucket")...)
	if !ref.Short || ref.Tag != "!Ref" || len(ref.Pairs) != 1 {
		t.Errorf("short form not marked: %+v", ref)
	}
	if fn, arg := ref.Intrinsic(); fn != "Ref" || arg.Value != "Bucket" {
		t.Errorf("Intrinsic() = %q, %v", fn, arg)
	}
	if u := at(root, p("Unknown")...); u.Tag != "!Foo" || u.Short {
		t.Errorf("unknown tag: %+v", u)
	}
}

func TestParseYAMLTagOnMapping(t *testing.T) {
	text := []byte("Cond: !Equals\n  - !Ref Env\n  - prod\nT: !Transform {Name: X}\n")
	root, err := ParseYAML(text)
	if err != nil {
		t.Fatal(err)
	}
	if fn, arg := root.Get("Cond").Intrinsic(); fn != "Fn::Equals" || arg.Kind != Sequence || len(arg.Items) != 2 {
		t.Errorf("Equals: %s", describe(text, root.Get("Cond")))
	}
	if fn, arg := root.Get("T").Intrinsic(); fn != "Fn::Transform" || spanText(text, arg.Span) != "{Name: X}" {
		t.Errorf("Transform: %s", describe(text, root.Get("T")))
	}
}

func TestParseYAMLAliasesAndMerge(t *testing.T) {
	text := []byte(`base: &base
  a: 1
  b: 2
other: &other {c: 3, a: 9}
use: *base
merged:
  <<: [*base, *other]
  b: own
`)
	root, err := ParseYAML(text)
	if err != nil {
		t.Fatal(err)
	}
	if root.Get("use") != root.Get("base") {
		t.Errorf("alias does not resolve to the anchored node")
	}
	m := root.Get("merged")
	var got []string
	for _, p := range m.Pairs {
		got = append(got, p.Key+"="+p.Value.Value)
	}
	// Own keys override merged ones; earlier merged mappings override later.
	if want := "a=1 c=3 b=own"; strings.Join(got, " ") != want {
		t.Errorf("merged pairs = %v, want %s", got, want)
	}
	if spanText(text, root.Get("base").Span) != "&base\n  a: 1\n  b: 2" {
		t.Errorf("anchored span = %q", spanText(text, root.Get("base").Span))
	}
}

func TestParseYAMLBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	text := []byte(b.String())
	root, err := ParseYAML(text)
	if err != nil {
		t.Fatal(err)
	}
	visited := 0
	Walk(root, func(*Node) bool { visited++; return true })
	if visited > 2*maxAliasNodes {
		t.Fatalf("walk visited %d nodes", visited)
	}
	nulls := 0
	Walk(root, func(n *Node) bool {
		if n.Kind == Scalar && n.ScalarType == Null {
			nulls++
		}
		return true
	})
	if nulls == 0 {
		t.Errorf("no alias was cut off")
	}
}

func TestParseYAMLSelfReferentialAlias(t *testing.T) {
	text := []byte("a: &a [1, *a]\n")
	root, err := ParseYAML(text)
	if err != nil {
		t.Fatal(err)
	}
	inner := at(root, "a", "1")
	if inner == nil || inner.ScalarType != Null || spanText(text, inner.Span) != "*a" {
		t.Errorf("self alias: %s", describe(text, root))
	}
}

func TestParseYAMLDocuments(t *testing.T) {
	tests := []struct {
		name, text string
		wantNil    bool
		key        string
	}{
		{"empty", "", true, ""},
		{"comments only", "# nothing\n\n", true, ""},
		{"first of several", "a: 1\n---\nb: 2\n", false, "a"},
		{"explicit start", "---\nx: y\n...\n", false, "x"},
		{"bom", "\xEF\xBB\xBFk: v\n", false, "k"},
		{"crlf", "k: v\r\nz: w\r\n", false, "z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := ParseYAML([]byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if (root == nil) != tt.wantNil {
				t.Fatalf("root = %v", root)
			}
			if !tt.wantNil && root.Pair(tt.key) == nil {
				t.Errorf("key %q missing", tt.key)
			}
		})
	}
	text := []byte("\xEF\xBB\xBFk: v\r\nz: 日本\r\n")
	root, _ := ParseYAML(text)
	if got := spanText(text, root.Get("z").Span); got != "日本" {
		t.Errorf("crlf span = %q", got)
	}
	if got := spanText(text, root.Pair("k").KeySpan); got != "k" {
		t.Errorf("bom key span = %q", got)
	}
}

func TestParseYAMLErrors(t *testing.T) {
	tests := []struct {
		name, text string
		offset     int
		msg        string
	}{
		{"tab indentation", "a:\n  b: 1\n\tc: 2\n", 10, "tab character used for indentation"},
		{"tab after spaces", "a:\n  b:\n  \t c: 2\n", 10, "tab character"},
		{"unclosed quote", "a: 'x\nb: 1\n", 11, "found unexpected end of stream"},
		{"bad indentation", "a: b\nc: d\n e: f\n", 11, "mapping values are not allowed in this context"},
		{"unclosed flow", "a: [b, c\n", 0, "did not find expected ',' or ']'"},
		{"control character", "a: b\x01\n", 4, "control characters are not allowed"},
		{"invalid utf-8", "a: \xff\n", 3, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := ParseYAML([]byte(tt.text))
			if err == nil {
				t.Fatalf("no error; tree:\n%s", describe([]byte(tt.text), root))
			}
			if err.Offset != tt.offset || !strings.Contains(err.Message, tt.msg) || strings.HasPrefix(err.Message, "yaml:") {
				t.Errorf("error at %d %q, want at %d containing %q", err.Offset, err.Message, tt.offset, tt.msg)
			}
		})
	}
}

// yaml.v3 names the line before the enclosing collection for parser errors;
// the offset must still point at the line that breaks the document.
func TestParseYAMLParserErrorLine(t *testing.T) {
	tests := []struct {
		name, text string
		line       string // the text at the error offset starts with this
	}{
		{"top level", "a: 1\nb: 2\nc: 'x' y\nd: 4\n", "c: 'x' y"},
		{"nested", "a: 1\nb:\n  x: 1\n  y: 2\n  z: 'q' w\n  k: 3\n", "z: 'q' w"},
		{"sequence then key", "a: 1\nb:\n  - 1\n  - 2\n  x: 3\n", "x: 3"},
		{"stray item", "a: 1\nb: 2\n- c\n", "- c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYAML([]byte(tt.text))
			if err == nil {
				t.Fatal("no error")
			}
			if got := tt.text[err.Offset:]; !strings.HasPrefix(got, tt.line) {
				t.Errorf("error %q at %q, want at %q", err.Message, got, tt.line)
			}
		})
	}
}
