package rules

import (
	"strings"

	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

// objectExpr is the expression for "every object of" the bucket an element
// names, written the way the author wrote the bucket: a literal ARN gets
// "/*", `!GetAtt B.Arn` becomes `!Sub '${B.Arn}/*'`, a !Sub gets "/*".
func objectExpr(e iam.Element) (edit.Expr, bool) {
	if e.Node != nil {
		if s, ok := e.Node.Str(); ok {
			return edit.Lit(strings.TrimSuffix(s, "/") + "/*"), true
		}
		fn, arg := e.Node.Intrinsic()
		switch fn {
		case "Fn::GetAtt":
			if id, attr, ok := getAttParts(arg); ok {
				return edit.Sub("${" + id + "." + attr + "}/*"), true
			}
		case "Fn::Sub":
			if s, ok := arg.Str(); ok {
				return edit.Sub(strings.TrimSuffix(s, "/") + "/*"), true
			}
		}
	}
	if tmpl, ok := subTemplate(e.Value); ok {
		return edit.Sub(tmpl + "/*"), true
	}
	return edit.Expr{}, false
}

// bucketExpr is the expression for the bucket of an object-ARN element:
// "arn:aws:s3:::b/*" gives "arn:aws:s3:::b", `!Sub '${B.Arn}/*'` gives
// `!GetAtt B.Arn`.
func bucketExpr(e iam.Element) (edit.Expr, bool) {
	cut := func(s string) (string, bool) {
		i := strings.Index(s, ":::")
		if i < 0 {
			return "", false
		}
		j := strings.IndexByte(s[i+3:], '/')
		if j < 0 {
			return "", false
		}
		return s[:i+3+j], true
	}
	if e.Node != nil {
		if s, ok := e.Node.Str(); ok {
			if b, ok := cut(s); ok {
				return edit.Lit(b), true
			}
			return edit.Expr{}, false
		}
		if fn, arg := e.Node.Intrinsic(); fn == "Fn::Sub" {
			if s, ok := arg.Str(); ok {
				if strings.HasPrefix(s, "${") {
					if end := strings.Index(s, "}"); end > 0 && strings.HasSuffix(s[2:end], ".Arn") && strings.HasPrefix(s[end+1:], "/") {
						id := strings.TrimSuffix(s[2:end], ".Arn")
						return edit.GetAtt(id, "Arn"), true
					}
				}
				if b, ok := cut(s); ok {
					return edit.Sub(b), true
				}
			}
		}
	}
	if tmpl, ok := subTemplate(e.Value); ok {
		if b, ok := cut(tmpl); ok {
			return edit.Sub(b), true
		}
	}
	return edit.Expr{}, false
}

func getAttParts(arg *source.Node) (string, string, bool) {
	if s, ok := arg.Str(); ok {
		id, attr, ok := strings.Cut(s, ".")
		return id, attr, ok
	}
	if arg != nil && arg.Kind == source.Sequence && len(arg.Items) == 2 {
		a, ok1 := arg.Items[0].Str()
		b, ok2 := arg.Items[1].Str()
		return a, b, ok1 && ok2
	}
	return "", "", false
}

// subTemplate writes a symbolic value as an Fn::Sub template, or fails
// when a part is unknown.
func subTemplate(v value.Str) (string, bool) {
	var b strings.Builder
	for _, p := range v.Parts {
		if !p.Hole {
			b.WriteString(strings.ReplaceAll(p.Lit, "${", "${!"))
			continue
		}
		switch p.Kind {
		case value.ResourceRef, value.Parameter, value.Pseudo:
			b.WriteString("${" + p.Ref + "}")
		case value.ResourceAttr:
			b.WriteString("${" + p.Ref + "." + p.Attr + "}")
		default:
			return "", false
		}
	}
	return b.String(), true
}

// display is how a resource element reads in a message: the text as
// written for short values, its evaluated form otherwise.
func display(c *Context, e iam.Element) string {
	if e.Node != nil {
		if s, ok := e.Node.Str(); ok {
			return s
		}
		raw := strings.TrimSpace(string(c.Doc.Text[e.Node.Span.Start:e.Node.Span.End]))
		if len(raw) <= 60 && !strings.Contains(raw, "\n") {
			return raw
		}
	}
	return e.Value.String()
}
