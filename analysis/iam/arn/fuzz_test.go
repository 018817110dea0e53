package arn

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iamlens/iamlens/analysis/value"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*", "arn:aws:logs:r:1:log-group:/a:*",
		"arn:aws:s3:us-east-1:123456789012:accesspoint/x", "*", "", "arn:", "arn:::::", "ARN:a:b:c:d:e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if a.String() != s {
			t.Fatalf("round trip %q -> %q", s, a.String())
		}
		if a.Partition == "" || a.Service == "" || a.Resource == "" ||
			strings.Contains(a.Partition+a.Service+a.Region+a.Account, ":") {
			t.Fatalf("bad parse of %q: %+v", s, a)
		}
		ValidateS3(s) // must not panic
	})
}

// refGlob is the obvious dynamic program over characters, to check the
// greedy matcher against.
func refGlob(p, s string) bool {
	pr, sr := []rune(p), []rune(s)
	// m[i][j]: pr[:i] matches sr[:j]
	m := make([][]bool, len(pr)+1)
	for i := range m {
		m[i] = make([]bool, len(sr)+1)
	}
	m[0][0] = true
	for i := 1; i <= len(pr); i++ {
		for j := 0; j <= len(sr); j++ {
			switch pr[i-1] {
			case '*':
				m[i][j] = m[i-1][j] || j > 0 && m[i][j-1]
			case '?':
				m[i][j] = j > 0 && m[i-1][j-1]
			default:
				m[i][j] = j > 0 && m[i-1][j-1] && pr[i-1] == sr[j-1]
			}
		}
	}
	return m[len(pr)][len(sr)]
}

func FuzzMatchGlob(f *testing.F) {
	f.Add("a*b?c", "axxbyc")
	f.Add("arn:aws:s3:::*", "arn:aws:s3:::b/k")
	f.Add("*?*?*", "é€x")
	f.Add("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	f.Fuzz(func(t *testing.T, p, s string) {
		if len(p) > 200 || len(s) > 200 {
			return // the reference is quadratic in memory
		}
		got := MatchGlob(p, s)
		if utf8.ValidString(p) && utf8.ValidString(s) {
			if want := refGlob(p, s); got != want {
				t.Fatalf("MatchGlob(%q, %q) = %v, reference says %v", p, s, got, want)
			}
			// With only literal text, the symbolic matcher must agree.
			sym := Covers(value.Lit(p), value.Lit(s))
			if (sym == value.True) != got || sym == value.Maybe {
				t.Fatalf("Covers(%q, %q) = %v, MatchGlob = %v", p, s, sym, got)
			}
		}
		if MatchGlobFold(p, s) != MatchGlobFold(strings.ToUpper(p), s) && isASCII(p) {
			t.Fatalf("MatchGlobFold(%q, %q) depends on pattern case", p, s)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
