package catalog

import "strings"

// apiNames maps well-known S3 API operation names, which people write in
// policies by mistake, to the IAM action that authorizes them. They are
// not IAM actions, and their names are too far from the right one for an
// edit distance to find it. Sources: "Required permissions" of each
// operation in the Amazon S3 API Reference, e.g. ListObjectsV2 needs
// s3:ListBucket, HeadObject needs s3:GetObject, ListBuckets needs
// s3:ListAllMyBuckets, HeadBucket needs s3:ListBucket, DeleteObjects needs
// s3:DeleteObject, and the multipart upload calls need s3:PutObject
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
var apiNames = map[string]string{
	"s3:listobjects":             "s3:ListBucket",
	"s3:listobjectsv2":           "s3:ListBucket",
	"s3:headbucket":              "s3:ListBucket",
	"s3:headobject":              "s3:GetObject",
	"s3:listbuckets":             "s3:ListAllMyBuckets",
	"s3:deleteobjects":           "s3:DeleteObject",
	"s3:createmultipartupload":   "s3:PutObject",
	"s3:uploadpart":              "s3:PutObject",
	"s3:completemultipartupload": "s3:PutObject",
	"s3:listobjectversions":      "s3:ListBucketVersions",
	"s3:listmultipartuploads":    "s3:ListBucketMultipartUploads",
	"s3:listparts":               "s3:ListMultipartUploadParts",
}

// Closest suggests the action a misspelt name was probably meant to be,
// for "did you mean" messages. An existing action returns its canonical
// spelling. Otherwise, in the same service, the action with the smallest
// case-insensitive edit distance wins if that distance is small for the
// name's length (see threshold); an unknown service prefix is corrected
// the same way when the action name then exists as written. Wildcard
// patterns get no suggestion.
func Closest(action string) (string, bool) {
	if strings.ContainsAny(action, "*?") {
		return "", false
	}
	if a, ok := Lookup(action); ok {
		return a.FullName(), true
	}
	svc, name, ok := strings.Cut(action, ":")
	if !ok || name == "" {
		return "", false
	}
	if s, ok := apiNames[strings.ToLower(action)]; ok {
		return s, true
	}
	if s := findService(svc); s != nil {
		best, bestD := -1, threshold(len(name))+1
		for i := range s.actions {
			if d := distance(name, s.actions[i].Name, bestD); d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			return "", false
		}
		return s.actions[best].FullName(), true
	}
	// Unknown prefix: a misspelt service with a real action name ("s4:GetObject").
	d := db()
	bestAct, bestD := (*Action)(nil), threshold(len(svc))+1
	for _, n := range d.names {
		dist := distance(svc, n, bestD)
		if dist >= bestD {
			continue
		}
		if a, ok := Lookup(n + ":" + name); ok {
			bestAct, bestD = a, dist
		}
	}
	if bestAct == nil {
		return "", false
	}
	return bestAct.FullName(), true
}

// threshold is the largest edit distance still taken as a typo: one edit
// for short names, about one in four characters for longer ones, at most
// four, so "GetObjects" finds GetObject but "Get" does not find "Put".
func threshold(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 8:
		return 2
	}
	return min(4, n/4)
}

// distance is the case-insensitive Levenshtein distance of a and b, or any
// value >= limit once it is clear the distance reaches limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if lower(a[i-1]) == lower(b[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
