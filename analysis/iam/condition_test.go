package iam

import (
	"testing"

	"github.com/iamlens/iamlens/analysis/value"
)

func cond(op, key string, vals ...string) *Condition {
	c := &Condition{Operator: op, Key: key}
	for _, v := range vals {
		c.Values = append(c.Values, Element{Value: value.Lit(v)})
	}
	return c
}

func TestEvalCondition(t *testing.T) {
	vpce := value.HoleOf(value.Part{Kind: value.ResourceRef, Ref: "Endpoint", Type: "AWS::EC2::VPCEndpoint"})
	ctx := func(key string) KeyValue {
		switch key {
		case "aws:securetransport":
			return KeyValue{State: KeyPresent, Values: []value.Str{value.Lit("true")}}
		case "aws:sourcevpce":
			return KeyValue{State: KeyAbsent}
		case "aws:sourceip":
			return KeyValue{State: KeyPresent}
		case "aws:sourcevpc":
			return KeyValue{State: KeyPresent, Values: []value.Str{vpce}}
		case "s3:prefix":
			return KeyValue{State: KeyChoice}
		}
		return KeyValue{State: KeyUnknown}
	}
	tests := []struct {
		c      *Condition
		choice value.Tri
		want   value.Tri
	}{
		{cond("Bool", "aws:SecureTransport", "false"), value.False, value.False},
		{cond("Bool", "aws:SecureTransport", "true"), value.False, value.True},
		// A negated operator on a missing key is true; a positive one false.
		{cond("StringNotEquals", "aws:SourceVpce", "vpce-1"), value.False, value.True},
		{cond("StringEquals", "aws:SourceVpce", "vpce-1"), value.False, value.False},
		{cond("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"), value.False, value.True},
		{cond("ForAnyValue:StringEquals", "aws:SourceVpce", "vpce-1"), value.False, value.False},
		{cond("ForAllValues:StringEquals", "aws:SourceVpce", "vpce-1"), value.False, value.True},
		{cond("Null", "aws:SourceVpce", "true"), value.False, value.True},
		{cond("Null", "aws:SourceIp", "true"), value.False, value.False},
		// Present with an unknown value.
		{cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"), value.False, value.Maybe},
		// Unknown keys stay unknown.
		{cond("StringEquals", "aws:PrincipalOrgID", "o-1"), value.False, value.Maybe},
		// Keys the caller picks follow the question asked.
		{cond("StringLike", "s3:prefix", "data/*"), value.True, value.True},
		{cond("StringLike", "s3:prefix", "data/*"), value.False, value.False},
		// Policy variables are resolved per request.
		{cond("StringEquals", "aws:SecureTransport", "${aws:username}"), value.False, value.Maybe},
	}
	for _, tt := range tests {
		if got := EvalCondition(tt.c, ctx, tt.choice); got != tt.want {
			t.Errorf("%s %s %v: got %v, want %v", tt.c.Operator, tt.c.Key, tt.c.Values[0].Value, got, tt.want)
		}
	}
	// The same template hole on both sides is equal.
	c := &Condition{Operator: "StringNotEquals", Key: "aws:SourceVpc", Values: []Element{{Value: vpce}}}
	if got := EvalCondition(c, ctx, value.False); got != value.False {
		t.Errorf("StringNotEquals on the same endpoint: got %v, want false", got)
	}
}

func TestStatementPublic(t *testing.T) {
	star := Principal{Type: "*", Element: Element{Value: value.Lit("*")}}
	acct := Principal{Type: "AWS", Element: Element{Value: value.Lit("arn:aws:iam::111122223333:root")}}
	param := value.HoleOf(value.Part{Kind: value.Parameter, Ref: "Vpce"})
	tests := []struct {
		name string
		st   *Statement
		want value.Tri
	}{
		{"star", &Statement{Effect: "Allow", Principals: []Principal{star}}, value.True},
		{"deny", &Statement{Effect: "Deny", Principals: []Principal{star}}, value.False},
		{"account", &Statement{Effect: "Allow", Principals: []Principal{acct}}, value.False},
		{"vpce", &Statement{Effect: "Allow", Principals: []Principal{star}, Conditions: []Condition{*cond("StringEquals", "aws:SourceVpce", "vpce-1")}}, value.False},
		{"wildcard vpc", &Statement{Effect: "Allow", Principals: []Principal{star}, Conditions: []Condition{*cond("StringLike", "aws:SourceVpc", "vpc-*")}}, value.True},
		{"wide ip", &Statement{Effect: "Allow", Principals: []Principal{star}, Conditions: []Condition{*cond("IpAddress", "aws:SourceIp", "0.0.0.0/1")}}, value.True},
		{"private ip", &Statement{Effect: "Allow", Principals: []Principal{star}, Conditions: []Condition{*cond("IpAddress", "aws:SourceIp", "10.1.0.0/16")}}, value.False},
		{"negated", &Statement{Effect: "Allow", Principals: []Principal{star}, Conditions: []Condition{*cond("StringNotEquals", "aws:SourceVpce", "vpce-1")}}, value.True},
		{"parameter", &Statement{Effect: "Allow", Principals: []Principal{star}, Conditions: []Condition{{Operator: "StringEquals", Key: "aws:SourceVpce", Values: []Element{{Value: param}}}}}, value.Maybe},
		{"notprincipal", &Statement{Effect: "Allow", NotPrincipal: true, Principals: []Principal{acct}}, value.True},
		{"facebook", &Statement{Effect: "Allow", Principals: []Principal{{Type: "Federated", Element: Element{Value: value.Lit("graph.facebook.com")}}}}, value.True},
	}
	for _, tt := range tests {
		if got := StatementPublic(tt.st).Public; got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
