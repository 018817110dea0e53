package hover

import (
	"github.com/iamlens/iamlens/analysis/model"
)

// accessStatementSection adds the reasoner's view of a statement: the
// functions it serves and the buckets it touches.
func accessStatementSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetStatement || m.Access == nil || t.Statement == nil {
		return
	}
	if text := m.Access.StatementHover(t.Statement, w.Markdown()); text != "" {
		w.Rule()
		w.Raw(text)
	}
}

// functionAccess writes a function's access summary and network path, or
// reports false when the reasoner has nothing on it.
func functionAccess(w *Writer, m *model.Model, id string) bool {
	if m.Access == nil || m.Access.Function(id) == nil {
		return false
	}
	w.Raw(m.Access.FunctionHover(id, w.Markdown()))
	networkPath(w, m, id)
	return true
}

// bucketAccess writes who can reach a bucket, its Block Public Access flags
// and whether its policy is public.
func bucketAccess(w *Writer, m *model.Model, id string) bool {
	if m.Access == nil || m.Access.Bucket(id) == nil {
		return false
	}
	w.Raw(m.Access.BucketHover(id, w.Markdown()))
	return true
}

// networkPath draws the function's way to S3, naming the buckets it reaches.
func networkPath(w *Writer, m *model.Model, id string) {
	if m.Network == nil || m.Network.Functions[id] == nil {
		return
	}
	var buckets []string
	if fa := m.Access.Function(id); fa != nil {
		for _, ba := range fa.Buckets {
			buckets = append(buckets, ba.Bucket.ID)
		}
	}
	if text := m.Network.Hover(id, w.Markdown(), buckets...); text != "" {
		w.Rule()
		w.Raw(text)
	}
}

// vpcConfigSection explains a function's network path on its VpcConfig.
func vpcConfigSection(w *Writer, m *model.Model, t *Target) {
	if t.Kind != TargetVpcConfig {
		return
	}
	networkPath(w, m, t.Resource.ID)
}
