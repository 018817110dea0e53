package arn

import "unicode/utf8"

// MatchGlob reports whether s matches an IAM wildcard pattern, case-
// sensitively: * matches any run of characters (including ':' and '/'),
// ? matches exactly one character. This is StringLike
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String)
// and how a policy Resource matches a request's ARN; there "a trailing *
// can expand to match beyond the colon boundaries"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
//
// It runs in O(len(pattern)·len(s)) time at worst, without recursion.
func MatchGlob(pattern, s string) bool { return glob(pattern, s, false) }

// MatchGlobFold is MatchGlob ignoring ASCII case, for Action names
// ("IAM:listaccesskeys" is iam:ListAccessKeys).
func MatchGlobFold(pattern, s string) bool { return glob(pattern, s, true) }

// glob is the classic greedy matcher: on a mismatch it returns to the last
// '*' and lets it swallow one more character. Only the last star needs
// remembering, since whatever an earlier star could take a later star can
// take too; that keeps the work polynomial where naive recursion is
// exponential ("a*a*a*a*b" against "aaaa…").
func glob(p, s string, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '*':
				starP, starS = pi, si
				pi++
				continue
			case c == '?':
				pi++
				si += runeLen(s[si:])
				continue
			case c == s[si] || fold && lowerASCII(c) == lowerASCII(s[si]):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		// The star swallows one more whole character, so a later '?' never
		// sees half of a multi-byte character.
		starS += runeLen(s[starS:])
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func runeLen(s string) int {
	if s[0] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ArnLike is the ArnLike condition operator: both values must have the
// six colon-separated parts of an ARN; the first five match one by one (a
// wildcard there never crosses a colon) and the sixth, the resource, as a
// glob over the rest (where * may cross colons). "Each of the six
// colon-delimited components of the ARN is checked separately and each
// can include ... wildcards" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
// A value or pattern without six parts matches nothing: this is where
// ArnLike differs from StringLike (MatchGlob), whose * crosses colons.
func ArnLike(pattern, arn string) bool {
	pp, np := splitARN(pattern)
	ap, na := splitARN(arn)
	if np != 6 || na != 6 {
		return false
	}
	for i := range pp {
		if !MatchGlob(pp[i], ap[i]) {
			return false
		}
	}
	return true
}

// ArnEquals is the ArnEquals operator. AWS documents it as a synonym of
// ArnLike: wildcards work in both (same page as ArnLike).
func ArnEquals(pattern, arn string) bool { return ArnLike(pattern, arn) }
