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
