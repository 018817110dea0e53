package rules

import (
	"fmt"

	"github.com/iamlens/iamlens/analysis/diag"
)

var roleOverridesPolicies = register(&Rule{
	ID:       "role-overrides-policies",
	Severity: diag.Warning,
	Summary:  "A SAM function sets both Role and Policies: SAM ignores Policies.",
	Doc: "When an `AWS::Serverless::Function` names its execution role with `Role`, SAM creates no role " +
		"and silently ignores `Policies`: none of those statements, managed policies or policy templates " +
		"reach the function, and its calls fail with AccessDenied at run time. Move the permissions into the " +
		"role (its `Policies` or `ManagedPolicyArns`), or remove `Role` so that SAM creates a role from `Policies`.",
	Kinds: []diag.Kind{diag.KindSAM},
	Check: checkRoleOverridesPolicies,
})

func checkRoleOverridesPolicies(c *Context) {
	for _, f := range c.Template.Functions() {
		if !f.Serverless {
			continue
		}
		role, policies := f.Prop("Role"), f.Prop("Policies")
		if role == nil || policies == nil {
			continue
		}
		n := len(policies.List())
		msg := fmt.Sprintf("%s sets Role (%s), so SAM ignores its Policies: %s never %s the function, and calls that need %s fail with AccessDenied. "+
			"Move the permissions into the role, or remove Role so SAM creates one from Policies.",
			f.ID, c.Template.SourceText(role), plural(n, "the entry", fmt.Sprintf("the %d entries", n)), plural(n, "reaches", "reach"), plural(n, "it", "them"))
		c.Report(f.Props.Pair("Policies").KeySpan, msg)
	}
}
