package access

import (
	"strings"
	"sync"

	"github.com/iamlens/iamlens/analysis/iam"
	"github.com/iamlens/iamlens/analysis/iam/catalog"
	"github.com/iamlens/iamlens/analysis/value"
)

// The S3 actions the reasoner decides: those the catalog lets act on a
// bucket or on objects. Each gets an index into a bit set, so a statement's
// Action element is matched against the catalog once, not once per bucket.

// s3Action is one S3 action of the universe.
type s3Action struct {
	*catalog.Action
	full   string // "s3:GetObject"
	object bool   // acts on objects (arn:...:s3:::bucket/key), else on the bucket
	// keys are the s3: condition keys the request carries (lower-cased).
	keys map[string]bool
}

type universe struct {
	actions []s3Action
	byName  map[string]int // lower-cased full name
}

var (
	uniOnce sync.Once
	uniVal  *universe
)

// s3Universe is built once: it is read-only catalog data.
func s3Universe() *universe {
	uniOnce.Do(func() {
		u := &universe{byName: map[string]int{}}
		for _, a := range catalog.ServiceActions("s3") {
			object, bucket := false, false
			for _, rt := range a.ResourceTypes {
				switch rt.Name {
				case "object":
					object = true
				case "bucket":
					bucket = true
				}
			}
			if !object && !bucket {
				continue
			}
			keys := map[string]bool{}
			for _, k := range a.ConditionKeys {
				keys[strings.ToLower(k)] = true
			}
			u.byName[strings.ToLower(a.FullName())] = len(u.actions)
			u.actions = append(u.actions, s3Action{Action: a, full: a.FullName(), object: object, keys: keys})
		}
		uniVal = u
	})
	return uniVal
}

// actionSet is a set of universe indexes.
type actionSet [4]uint64

func (s *actionSet) add(i int)     { s[i/64] |= 1 << (i % 64) }
func (s actionSet) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }
func (s actionSet) empty() bool    { return s == actionSet{} }
func (s actionSet) or(o actionSet) actionSet {
	for i := range s {
		s[i] |= o[i]
	}
	return s
}

func (s actionSet) andNot(o actionSet) actionSet {
	for i := range s {
		s[i] &^= o[i]
	}
	return s
}

func fullSet(n int) actionSet {
	var s actionSet
	for i := 0; i < n; i++ {
		s.add(i)
	}
	return s
}

// patternCache memoizes the universe actions an Action pattern matches;
// policies repeat the same few patterns many times.
type patternCache map[string]actionSet

func (pc patternCache) match(u *universe, pattern string) actionSet {
	// Patterns are remembered as written too, so the usual repeat of a
	// spelling costs no lower-casing. Every key k maps to the match of
	// lower(k), so the two kinds of key never disagree.
	if s, ok := pc[pattern]; ok {
		return s
	}
	key := strings.ToLower(pattern)
	if s, ok := pc[key]; ok {
		pc[pattern] = s
		return s
	}
	var s actionSet
	svc, _, hasColon := strings.Cut(key, ":")
	if !hasColon && key != "*" {
		// No service part: matches nothing but a bare "*"-like glob.
		svc = key
	}
	if svc == "s3" || strings.ContainsAny(svc, "*?") {
		for i := range u.actions {
			if catalog.MatchesAction(pattern, u.actions[i].full) {
				s.add(i)
			}
		}
	}
	pc[key] = s
	pc[pattern] = s
	return s
}

// actionMatch says which universe actions a statement's Action (or
// NotAction) certainly matches (sure) and may match (maybe ⊇ sure).
func actionMatch(u *universe, pc patternCache, st *iam.Statement) (sure, maybe actionSet) {
	var certain, possible actionSet
	for _, e := range st.Actions {
		lit, ok := e.Value.Literal()
		if !ok {
			possible = fullSet(len(u.actions))
			continue
		}
		m := pc.match(u, lit)
		possible = possible.or(m)
		if !e.Alternative {
			certain = certain.or(m)
		}
	}
	if !st.NotAction {
		return certain, possible
	}
	all := fullSet(len(u.actions))
	// NotAction matches what no listed action matches.
	return all.andNot(possible), all.andNot(certain)
}

// triIn reads a statement's action match for action i.
func triIn(sure, maybe actionSet, i int) value.Tri {
	switch {
	case sure.has(i):
		return value.True
	case maybe.has(i):
		return value.Maybe
	}
	return value.False
}

// verbs groups actions the way people say them: "read, write, delete
// objects; list bucket".
func verbs(names []string) string {
	u := s3Universe()
	var read, write, del, tag, list, bread, bwrite bool
	for _, n := range names {
		i, ok := u.byName[strings.ToLower(n)]
		if !ok {
			continue
		}
		a := u.actions[i]
		switch {
		case a.object && strings.HasPrefix(a.Name, "Delete"):
			del = true
		case a.object && a.AccessLevel == "Read":
			read = true
		case a.object && strings.Contains(a.AccessLevel, "Tagging"):
			tag = true
		case a.object && a.AccessLevel == "List":
			read = true
		case a.object:
			write = true
		case a.AccessLevel == "List":
			list = true
		case a.AccessLevel == "Read":
			bread = true
		default:
			bwrite = true
		}
	}
	var obj []string
	if read {
		obj = append(obj, "read")
	}
	if write {
		obj = append(obj, "write")
	}
	if del {
		obj = append(obj, "delete")
	}
	if tag {
		obj = append(obj, "tag")
	}
	var groups []string
	if len(obj) > 0 {
		groups = append(groups, strings.Join(obj, ", ")+" objects")
	}
	if list {
		groups = append(groups, "list bucket")
	}
	if bread {
		groups = append(groups, "read bucket settings")
	}
	if bwrite {
		groups = append(groups, "change bucket settings")
	}
	return strings.Join(groups, "; ")
}
