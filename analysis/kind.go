package analysis

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/model"
	"github.com/iamlens/iamlens/analysis/source"
)

// DetectKind says what a parsed document is. Anything that is neither a
// policy nor a template (package.json, docker-compose.yml ...) is unknown
// and gets no findings at all.
func DetectKind(root *source.Node) Kind {
	if root == nil || root.Kind != source.Mapping {
		return diag.KindUnknown
	}
	if cfn.IsTemplate(root) {
		if cfn.IsSAM(root) {
			return diag.KindSAM
		}
		return diag.KindCloudFormation
	}
	st := root.Get("Statement")
	if st == nil {
		return diag.KindUnknown
	}
	// A policy's Statement is an object or a list of objects.
	items := st.List()
	if len(items) == 0 && st.Kind != source.Sequence {
		return diag.KindUnknown
	}
	for _, it := range items {
		if it.Kind != source.Mapping {
			return diag.KindUnknown
		}
	}
	for _, it := range items {
		if it.Pair("Principal") != nil || it.Pair("NotPrincipal") != nil {
			return diag.KindResourcePolicy
		}
	}
	return diag.KindIdentityPolicy
}

// guessKind classifies a document that does not parse, from the words in
// it, so that a half-typed template still shows its syntax error while an
// unrelated broken file stays silent.
func guessKind(path string, text []byte) Kind {
	head := text
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	switch {
	case bytes.Contains(head, []byte(cfn.SAMTransform)):
		return diag.KindSAM
	case bytes.Contains(head, []byte("AWSTemplateFormatVersion")) || bytes.Contains(head, []byte("AWS::")):
		return diag.KindCloudFormation
	case bytes.Contains(head, []byte(`"Statement"`)) || bytes.Contains(head, []byte("Statement:")):
		if bytes.Contains(head, []byte("Principal")) {
			return diag.KindResourcePolicy
		}
		return diag.KindIdentityPolicy
	}
	if strings.HasSuffix(filepath.Base(path), ".template") {
		return diag.KindCloudFormation
	}
	return diag.KindUnknown
}

func collectTemplatePolicies(m *model.Model) []*iam.Policy {
	return m.Template.Policies()
}
