package models

import "unicode/utf8"

// Truncate shortens s to at most n characters (runes), never cutting inside a UTF-8
// character, and adds "…" when it cut. Invalid bytes in s are replaced, so the result
// is always valid UTF-8.
func Truncate(s string, n int) string {
	if !utf8.ValidString(s) {
		s = toValidUTF8(s)
	}
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return s[:i] + "…"
}

func toValidUTF8(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r) // invalid bytes decode as utf8.RuneError (U+FFFD)
	}
	return string(out)
}

// CutRunes shortens s to at most n characters (runes) without a marker, never cutting
// inside a UTF-8 character: for values that are used, not shown (a search term).
func CutRunes(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}
