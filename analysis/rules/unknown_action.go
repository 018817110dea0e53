package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
)

var unknownAction = register(&Rule{
	ID:       "unknown-action",
	Severity: diag.Warning,
	Summary:  "An action name that IAM does not know: it matches nothing.",
	Doc: "An action in `Action` or `NotAction` is not in the IAM action catalog, or a wildcard such as " +
		"`s3:Get*Objects` matches no action. IAM accepts the policy but the name matches no request, so " +
		"the permission the author meant is simply missing — a Lambda function then fails with " +
		"AccessDenied at run time. Action names are case-insensitive (`s3:putobject` is fine); the finding " +
		"suggests the closest real name.",
	Check: checkUnknownActions,
})

func checkUnknownActions(c *Context) {
	style := c.Style()
	for _, p := range c.Policies {
		if p.Synthetic {
			continue
		}
		for _, st := range p.Statements {
			for _, e := range st.Actions {
				name, ok := e.Value.Literal()
				if !ok || e.Node == nil || name == "*" {
					continue
				}
				svc, act, found := strings.Cut(name, ":")
				if !found || svc == "" || act == "" {
					c.Report(e.Node.Span, fmt.Sprintf("%q is not an action: IAM actions are written service:Action, such as s3:GetObject.", name))
					continue
				}
				if !catalog.HasService(svc) {
					if strings.ContainsAny(svc, "*?") {
						continue
					}
					c.Report(e.Node.Span, fmt.Sprintf("%q is not an IAM service prefix, so %s matches no action and grants nothing.", svc, name))
					continue
				}
				if strings.ContainsAny(act, "*?") {
					if len(catalog.Match(name)) == 0 {
						c.Report(e.Node.Span, fmt.Sprintf("The wildcard %s matches no %s action, so it grants nothing.", name, svc))
					}
					continue
				}
				if _, ok := catalog.Lookup(name); ok {
					continue
				}
				msg := fmt.Sprintf("%s is not a known %s action, so it matches no request and grants nothing.", name, svc)
				var fixes []diag.Fix
				if s, ok := catalog.Closest(name); ok {
					msg += fmt.Sprintf(" Did you mean %s?", s)
					fixes = append(fixes, diag.Fix{
						Title:     "Replace with " + s,
						Edits:     []diag.Edit{edit.Replace(e.Node, edit.Render(edit.Lit(s), style))},
						Preferred: true,
					})
				}
				c.Report(e.Node.Span, msg, fixes...)
			}
		}
	}
}
