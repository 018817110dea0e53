package edit_test

import (
	"testing"

	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/source"
)

func TestScalar(t *testing.T) {
	cases := []struct{ in, yaml string }{
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/*"},
		{"*", "'*'"},
		{"yes", "'yes'"},
		{"12", "'12'"},
		{"a: b", "'a: b'"},
		{"it's", "it's"},
		{"'q'", "'''q'''"},
	}
	for _, c := range cases {
		if got := edit.Scalar(c.in, source.YAML); got != c.yaml {
			t.Errorf("Scalar(%q) = %s, want %s", c.in, got, c.yaml)
		}
	}
	if got := edit.Scalar(`a"b`, source.JSON); got != `"a\"b"` {
		t.Errorf("JSON scalar %s", got)
	}
}

func TestRender(t *testing.T) {
	short := edit.Style{Format: source.YAML, Short: true}
	long := edit.Style{Format: source.YAML}
	js := edit.Style{Format: source.JSON}
	sub := edit.Sub("${B.Arn}/*")
	if got := edit.Render(sub, short); got != "!Sub '${B.Arn}/*'" {
		t.Errorf("short: %s", got)
	}
	if got := edit.Render(sub, long); got != `{"Fn::Sub": '${B.Arn}/*'}` {
		t.Errorf("long: %s", got)
	}
	if got := edit.Render(sub, js); got != `{"Fn::Sub": "${B.Arn}/*"}` {
		t.Errorf("json: %s", got)
	}
	if got := edit.Render(edit.GetAtt("B", "Arn"), js); got != `{"Fn::GetAtt": ["B", "Arn"]}` {
		t.Errorf("json getatt: %s", got)
	}
}

func TestAppendToList(t *testing.T) {
	cases := []struct{ in, want string }{
		{
			"R:\n  Resource: !GetAtt B.Arn\n",
			"R:\n  Resource:\n    - !GetAtt B.Arn\n    - !Sub '${B.Arn}/*'\n",
		},
		{
			"R:\n  Resource:\n    - !GetAtt B.Arn\n",
			"R:\n  Resource:\n    - !GetAtt B.Arn\n    - !Sub '${B.Arn}/*'\n",
		},
		{
			"R:\n  Resource: [!GetAtt B.Arn]\n",
			"R:\n  Resource: [!GetAtt B.Arn, !Sub '${B.Arn}/*']\n",
		},
		{
			"{\"R\": {\"Resource\": {\"Fn::GetAtt\": [\"B\", \"Arn\"]}}}",
			"{\"R\": {\"Resource\": [{\"Fn::GetAtt\": [\"B\", \"Arn\"]}, {\"Fn::Sub\": \"${B.Arn}/*\"}]}}",
		},
	}
	for _, c := range cases {
		doc := source.Parse("t", []byte(c.in))
		if doc.Err != nil {
			t.Fatal(doc.Err)
		}
		pair := doc.Root.Get("R").Pair("Resource")
		e := edit.AppendToList(doc, pair, edit.Sub("${B.Arn}/*"))
		got := c.in[:e.Span.Start] + e.NewText + c.in[e.Span.End:]
		if got != c.want {
			t.Errorf("AppendToList(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if again := source.Parse("t", []byte(got)); again.Err != nil {
			t.Errorf("result does not parse: %v", again.Err)
		}
	}
}
