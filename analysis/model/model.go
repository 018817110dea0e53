// Package model is what one analysis knows about a document: its text and
// node tree, its kind, the template model and every policy found in it.
// Rules, hovers and the access reasoner read it; none of them change it.
package model

import (
	"github.com/iamlens/iamlens/analysis/access"
	"github.com/iamlens/iamlens/analysis/cfn"
	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/network"
	"github.com/iamlens/iamlens/analysis/source"
)

// Model is one analysed document.
type Model struct {
	Path     string
	Doc      *source.Document
	Kind     diag.Kind
	Template *cfn.Template // nil unless Kind is a template
	Policies []*iam.Policy // in document order; synthetic ones (SAM, managed) after
	Eval     iam.Evaluator
	Network  *network.Report // nil unless Kind is a template
	Access   *access.Report  // nil unless Kind is a template
}
