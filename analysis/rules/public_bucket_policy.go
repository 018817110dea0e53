package rules

import (
	"fmt"
	"strings"

	"github.com/iamlens/iamlens/analysis/diag"
	"github.com/iamlens/iamlens/analysis/edit"
	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
	"github.com/iamlens/iamlens/analysis/source"
	"github.com/iamlens/iamlens/analysis/value"
)

var publicBucketPolicy = register(&Rule{
	ID:       "public-bucket-policy",
	Severity: diag.Error,
	Summary:  "A bucket policy statement is public: deploy fails with Block Public Access on, the bucket is public with it off.",
	Doc: "S3 counts a bucket-policy Allow as public unless it grants only to fixed principals or fixed values of " +
		"aws:SourceVpce, aws:SourceVpc, aws:SourceIp (no wider than /8), aws:SourceArn, aws:SourceAccount, " +
		"aws:PrincipalOrgID and a few more. When the bucket's `BlockPublicPolicy` is on — explicitly or by " +
		"default, since new buckets get all four Block Public Access settings — CloudFormation fails to create " +
		"the `AWS::S3::BucketPolicy` with `API: s3:PutBucketPolicy Access Denied` (error). When Block Public " +
		"Access is off the policy deploys and the bucket is public (warning). Deny statements are never public. " +
		"Fix: narrow the statement to a principal or a fixed condition (aws:SourceVpce, aws:PrincipalOrgID), serve " +
		"the content through CloudFront with origin access control, or — if the bucket really is public — turn " +
		"BlockPublicPolicy and RestrictPublicBuckets off (account-level Block Public Access must allow it too).",
	Kinds: []diag.Kind{diag.KindCloudFormation, diag.KindSAM},
	Check: checkPublicBucketPolicy,
})

func checkPublicBucketPolicy(c *Context) {
	if c.Access == nil {
		return
	}
	for _, b := range c.Access.Buckets {
		for _, st := range b.PublicStatements {
			span := st.Span()
			if st.PrincipalKey != nil {
				span = st.PrincipalKey.Value.Span
			}
			what := publicGrant(st)
			policy := st.Policy.Owner
			switch b.BPA.BlockPublicPolicy {
			case value.True:
				msg := fmt.Sprintf("This statement makes %s public: %s. Block Public Access BlockPublicPolicy is on%s, so CloudFormation fails to create %s: "+
					"API: s3:PutBucketPolicy Access Denied. Limit the statement to a principal or a fixed aws:SourceVpce / aws:PrincipalOrgID, "+
					"use CloudFront with origin access control, or turn BlockPublicPolicy and RestrictPublicBuckets off if the bucket is meant to be public.",
					b.ID, what, defaultNote(b.BPA.Default), policy)
				var fixes []diag.Fix
				if b.BPA.Default {
					if fx, ok := insertBPAFix(c, b.Resource.Properties, b.Resource.Node,
						fmt.Sprintf("Allow a public policy on %s (BlockPublicPolicy and RestrictPublicBuckets off)", b.ID), [4]bool{true, false, true, false}); ok {
						fx.Preferred = false
						fixes = append(fixes, fx)
					}
				} else if n := b.BPA.Pair.Value.Get("BlockPublicPolicy"); n != nil && n.Kind == source.Scalar {
					fixes = append(fixes, diag.Fix{Title: fmt.Sprintf("Turn BlockPublicPolicy off on %s", b.ID),
						Edits: []diag.Edit{edit.ReplaceScalar(n, "false", c.Doc.Format)}})
				}
				c.ReportAt(diag.Error, span, msg, fixes...)
			case value.False:
				msg := fmt.Sprintf("This statement makes %s public: %s. Block Public Access on the bucket is off, so the policy applies "+
					"(unless account-level Block Public Access blocks it). Limit it to a principal or a fixed aws:SourceVpce / aws:PrincipalOrgID, "+
					"or use CloudFront with origin access control.", b.ID, what)
				c.ReportAt(diag.Warning, span, msg)
			}
		}
	}
}

// publicGrant says who may do what: "anyone can read objects (s3:GetObject)".
func publicGrant(st *iam.Statement) string {
	who := "anyone"
	for _, p := range st.Principals {
		if p.Type == "Federated" {
			who = "anyone who signs in with " + p.Element.Value.String()
		}
	}
	if st.NotPrincipal {
		who = "everyone but the listed principals"
	}
	var read, write, list, other []string
	for _, e := range st.Actions {
		s, ok := e.Value.Literal()
		if !ok {
			continue
		}
		for _, a := range catalog.Match(s) {
			if a.Service != "s3" {
				continue
			}
			switch {
			case a.AccessLevel == "Read":
				read = append(read, a.FullName())
			case a.AccessLevel == "List":
				list = append(list, a.FullName())
			case strings.Contains(a.AccessLevel, "Write"):
				write = append(write, a.FullName())
			default:
				other = append(other, a.FullName())
			}
		}
	}
	if st.NotAction {
		return who + " can do everything but the listed actions"
	}
	var parts []string
	short := func(list []string) string {
		if len(list) > 3 {
			return strings.Join(list[:3], ", ") + fmt.Sprintf(" and %d more", len(list)-3)
		}
		return strings.Join(list, ", ")
	}
	if len(read) > 0 {
		parts = append(parts, "read ("+short(read)+")")
	}
	if len(write) > 0 {
		parts = append(parts, "write ("+short(write)+")")
	}
	if len(list) > 0 {
		parts = append(parts, "list ("+short(list)+")")
	}
	if len(other) > 0 {
		parts = append(parts, "manage ("+short(other)+")")
	}
	if len(parts) == 0 {
		return who + " is granted the statement's actions"
	}
	return who + " can " + strings.Join(parts, ", ")
}
