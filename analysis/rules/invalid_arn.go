package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam/arn"
	"github.com/iamlens/iamlens/analysis/value"
)

var invalidARN = register(&Rule{
	ID:       "invalid-arn",
	Severity: diag.Error,
	Summary:  "A malformed ARN in Resource.",
	Doc: "An ARN in `Resource` or `NotResource` is malformed: the wrong number of colon-separated " +
		"segments, a Region or account in an S3 bucket or object ARN (`arn:aws:s3:us-east-1:123:bucket` " +
		"names no bucket — S3 bucket ARNs are `arn:aws:s3:::bucket`), an empty bucket name, or a trailing " +
		"`/` with nothing after it. IAM rejects some of these at deploy; the rest silently match nothing, " +
		"and the function's S3 calls fail with AccessDenied. Values built with `!Sub` are checked too, " +
		"with parameters treated as unknown.",
	Check: checkInvalidARNs,
})

// placeholder stands in for the holes whose shape is known (pseudo
// parameters and resource names never contain ':' or '/'), so the rest of
// the ARN can be checked; other holes make the value uncheckable.
func placeholder(v value.Str) (string, bool) {
	if s, ok := v.Literal(); ok {
		return s, true
	}
	// Sized once: every Resource element of every policy comes here.
	n := 0
	for _, p := range v.Parts {
		n += len(p.Lit) + len("123456789012")
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range v.Parts {
		if !p.Hole {
			b.WriteString(p.Lit)
			continue
		}
		switch {
		case p.Kind == value.Pseudo && p.Ref == "AWS::Partition":
			b.WriteString("aws")
		case p.Kind == value.Pseudo && p.Ref == "AWS::AccountId":
			b.WriteString("123456789012")
		case p.Kind == value.Pseudo && p.Ref == "AWS::Region":
			b.WriteString("us-east-1")
		case p.Kind == value.Pseudo && (p.Ref == "AWS::StackName" || p.Ref == "AWS::URLSuffix"):
			b.WriteString("stack")
		case p.Kind == value.ResourceRef:
			b.WriteString("name")
		default:
			return "", false
		}
	}
	return b.String(), true
}

func checkInvalidARNs(c *Context) {
	for _, p := range c.Policies {
		if p.Synthetic {
			continue
		}
		for _, st := range p.Statements {
			for _, e := range st.Resources {
				if e.Node == nil {
					continue
				}
				if fn, _ := e.Node.Intrinsic(); fn == "Fn::GetAtt" {
					continue // an ARN CloudFormation makes is well formed
				}
				s, ok := placeholder(e.Value)
				if !ok || !strings.HasPrefix(s, "arn:") || c.validARN[s] {
					continue
				}
				if msg := arnProblem(s); msg != "" {
					c.Report(e.Node.Span, fmt.Sprintf(msg, display(c, e)))
					continue
				}
				c.rememberValidARN(s)
			}
		}
	}
}

// arnProblem describes what is wrong with an ARN (placeholders standing in
// for resource names), as a format with one %s for the ARN as written, or
// "" when it is well formed.
func arnProblem(s string) string {
	if _, err := arn.Parse(s); err != nil {
		// A trailing * matches across colons, so "arn:aws:logs:*" is a
		// valid (if broad) pattern.
		if strings.HasSuffix(s, "*") {
			return ""
		}
		return "%s is not a valid ARN (" + strings.ReplaceAll(err.Error(), "%", "%%") + "); it matches no resource."
	}
	if parts := strings.SplitN(s, ":", 4); len(parts) < 3 || parts[2] != "s3" {
		return ""
	}
	probs := arn.ValidateS3(s)
	if len(probs) == 0 {
		return ""
	}
	for i := range probs {
		probs[i] = strings.ReplaceAll(strings.TrimPrefix(probs[i], s+": "), "%", "%%")
	}
	return "%s is not a valid S3 ARN: " + strings.Join(probs, "; ") + ". It matches no bucket or object, so the statement grants nothing for it."
}
