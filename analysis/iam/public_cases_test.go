package iam

import (
	"testing"

	"github.com/iamlens/iamlens/analysis/value"
)

func TestStatementPublicCases(t *testing.T) {
	lit := func(s string) Element { return Element{Value: value.Lit(s)} }
	param := Element{Value: value.HoleOf(value.Part{Kind: value.Parameter, Ref: "P"})}
	cases := []struct {
		name string
		st   Statement
		want value.Tri
	}{
		{"star", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}}}, value.True},
		{"account", Statement{Effect: "Allow", Principals: []Principal{{Type: "AWS", Element: lit("arn:aws:iam::111122223333:root")}}}, value.False},
		{"federated", Statement{Effect: "Allow", Principals: []Principal{{Type: "Federated", Element: lit("graph.facebook.com")}}}, value.True},
		{"deny", Statement{Effect: "Deny", Principals: []Principal{{Type: "*", Element: lit("*")}}}, value.False},
		{"vpc wildcard", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}},
			Conditions: []Condition{{Operator: "StringLike", Key: "aws:SourceVpc", Values: []Element{lit("vpc-*")}}}}, value.True},
		{"vpc fixed", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}},
			Conditions: []Condition{{Operator: "StringEquals", Key: "aws:SourceVpc", Values: []Element{lit("vpc-1")}}}}, value.False},
		{"negated", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}},
			Conditions: []Condition{{Operator: "StringNotEquals", Key: "aws:SourceVpce", Values: []Element{lit("vpce-1")}}}}, value.True},
		{"wide ip", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}},
			Conditions: []Condition{{Operator: "IpAddress", Key: "aws:SourceIp", Values: []Element{lit("0.0.0.0/1")}}}}, value.True},
		{"narrow ip", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}},
			Conditions: []Condition{{Operator: "IpAddress", Key: "aws:SourceIp", Values: []Element{lit("203.0.113.0/24")}}}}, value.False},
		{"userid pattern", Statement{Effect: "Allow", Principals: []Principal{{Type: "*", Element: lit("*")}},
			Conditions: []Condition{{Operator: "StringLike", Key: "aws:userid", Values: []Element{lit("AROAEXAMPLE:*")}}}}, value.True},
		{"parameter principal", Statement{Effect: "Allow", Principals: []Principal{{Type: "AWS", Element: param}}}, value.Maybe},
	}
	for _, c := range cases {
		if got := StatementPublic(&c.st); got.Public != c.want {
			t.Errorf("%s: StatementPublic = %v (%s), want %v", c.name, got.Public, got.Reason, c.want)
		}
	}
}
