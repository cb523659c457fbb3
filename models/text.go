package models

import "unicode/utf8"

// TruncateRunes cuts s to at most n characters, never inside a UTF-8 character.
func TruncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// Truncate shortens s to at most n characters (runes), never cutting inside a UTF-8
// character, and adds "…" when it cut: for values shown to people (a roster row, a
// filter typed too long). Invalid bytes in s are replaced, so the result is always
// valid UTF-8.
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
	return TruncateRunes(s, n-1) + "…"
}

func toValidUTF8(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r) // invalid bytes decode as utf8.RuneError (U+FFFD)
	}
	return string(out)
}
