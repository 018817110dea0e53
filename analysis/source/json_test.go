package source

import (
	"strings"
	"testing"
)

func TestParseJSONSpans(t *testing.T) {
	text := []byte(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
     "Resource": "arn:aws:s3:::b\/*", "Num": -1.5e3, "T": true, "N": null,
     "Esc": "caf\u00e9 \ud83d\ude00 \"q\"", "Empty": {}, "E2": []}
  ],
  "Version": "dup"
}`)
	root, err := ParseJSON(text)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, text, root)
	tests := []struct {
		path      []string
		span      string
		value     string
		kind      Kind
		typ       ScalarType
		style     Style
		wantCount int // items or pairs for collections
	}{
		{[]string{"Version"}, `"2012-10-17"`, "2012-10-17", Scalar, String, DoubleQuoted, 0},
		{[]string{"Statement", "0", "Action"}, `["s3:GetObject", "s3:PutObject"]`, "", Sequence, String, Flow, 2},
		{[]string{"Statement", "0", "Action", "1"}, `"s3:PutObject"`, "s3:PutObject", Scalar, String, DoubleQuoted, 0},
		{[]string{"Statement", "0", "Resource"}, `"arn:aws:s3:::b\/*"`, "arn:aws:s3:::b/*", Scalar, String, DoubleQuoted, 0},
		{[]string{"Statement", "0", "Num"}, `-1.5e3`, "-1.5e3", Scalar, Number, Plain, 0},
		{[]string{"Statement", "0", "T"}, `true`, "true", Scalar, Bool, Plain, 0},
		{[]string{"Statement", "0", "N"}, `null`, "null", Scalar, Null, Plain, 0},
		{[]string{"Statement", "0", "Esc"}, `"caf\u00e9 \ud83d\ude00 \"q\""`, `café 😀 "q"`, Scalar, String, DoubleQuoted, 0},
		{[]string{"Statement", "0", "Empty"}, `{}`, "", Mapping, String, Flow, 0},
		{[]string{"Statement", "0", "E2"}, `[]`, "", Sequence, String, Flow, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.path, "."), func(t *testing.T) {
			n := at(root, tt.path...)
			if n == nil {
				t.Fatalf("no node at %v", tt.path)
			}
			if got := spanText(text, n.Span); got != tt.span {
				t.Errorf("span = %q, want %q", got, tt.span)
			}
			if n.Value != tt.value || n.Kind != tt.kind || n.ScalarType != tt.typ || n.Style != tt.style {
				t.Errorf("got value %q kind %d type %d style %d, want %q %d %d %d",
					n.Value, n.Kind, n.ScalarType, n.Style, tt.value, tt.kind, tt.typ, tt.style)
			}
			if c := len(n.Items) + len(n.Pairs); c != tt.wantCount {
				t.Errorf("children = %d, want %d", c, tt.wantCount)
			}
		})
	}
	if p := keyAt(root, "Statement", "0", "Resource"); spanText(text, p.KeySpan) != `"Resource"` {
		t.Errorf("key span = %q", spanText(text, p.KeySpan))
	}
	// Duplicate keys stay, in order.
	if len(root.Pairs) != 3 || root.Pairs[2].Key != "Version" || root.Pairs[2].Value.Value != "dup" {
		t.Errorf("duplicate key lost:\n%s", describe(text, root))
	}
	if spanText(text, root.Span) != string(text) {
		t.Errorf("root span = %v", root.Span)
	}
}

func TestParseJSONBOM(t *testing.T) {
	text := []byte("\xEF\xBB\xBF {\"a\": \"b\"} \n")
	root, err := ParseJSON(text)
	if err != nil {
		t.Fatal(err)
	}
	if got := spanText(text, root.Get("a").Span); got != `"b"` {
		t.Errorf("span after BOM = %q", got)
	}
	if got := spanText(text, root.Span); got != `{"a": "b"}` {
		t.Errorf("root span = %q", got)
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		name, text string
		offset     int
		msg        string
	}{
		{"truncated object", `{"a": [1, 2`, 11, "unexpected end of JSON: missing ]}"},
		{"truncated after comma", "{\"a\": 1,\n  ", 8, "missing }"},
		{"truncated string", `{"a": "x`, 8, `missing closing "`},
		{"empty", "  ", 2, "empty document"},
		{"missing colon", `{"a" 1}`, 5, "expected ':' after key \"a\""},
		{"unquoted key", `{a: 1}`, 1, "expected a key in double quotes"},
		{"trailing comma in object", `{"a": 1,}`, 8, "trailing comma before }"},
		{"trailing comma in array", `[1, 2, ]`, 7, "trailing comma before ]"},
		{"missing comma", `[1 2]`, 3, "expected ',' or ']'"},
		{"garbage after value", `{} x`, 3, "after the end of the JSON value"},
		{"leading zero", `[01]`, 2, "expected ',' or ']'"},
		{"bad number", `[-]`, 2, `invalid number "-": expected a digit`},
		{"bad fraction", `[1.e5]`, 3, `invalid number "1."`},
		{"bad literal", `[tru]`, 1, "expected a JSON value"},
		{"bad escape", `["a\q"]`, 3, `invalid escape "\q"`},
		{"raw newline in string", "[\"a\nb\"]", 3, "control character U+000A"},
		{"bad unicode escape", `["\u12x4"]`, 2, `invalid \u escape`},
		{"after BOM", "\xEF\xBB\xBF{\"a\" 1}", 8, "expected ':'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := ParseJSON([]byte(tt.text))
			if err == nil {
				t.Fatalf("no error; tree:\n%s", describe([]byte(tt.text), root))
			}
			if root != nil {
				t.Errorf("root not nil on error")
			}
			if err.Offset != tt.offset || !strings.Contains(err.Message, tt.msg) {
				t.Errorf("error at %d %q, want at %d containing %q", err.Offset, err.Message, tt.offset, tt.msg)
			}
		})
	}
}

func TestParseJSONDeepNesting(t *testing.T) {
	text := []byte(strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1))
	_, err := ParseJSON(text)
	if err == nil || !strings.Contains(err.Message, "nested deeper") || err.Offset != maxJSONDepth {
		t.Fatalf("err = %+v", err)
	}
	ok := []byte(strings.Repeat("[", 100) + strings.Repeat("]", 100))
	if _, err := ParseJSON(ok); err != nil {
		t.Fatal(err)
	}
}
