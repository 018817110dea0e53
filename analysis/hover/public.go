package hover

import (
	"fmt"

	"github.com/iamlens/iamlens/analysis/iam"
)

// principalText renders a principal the way it is written.
func principalText(p iam.Principal) string {
	v := p.Element.Value.String()
	if p.Type == "*" || p.Type == "" {
		return v
	}
	return fmt.Sprintf("{%s: %s}", p.Type, v)
}
