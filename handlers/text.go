package handlers

import "unicode/utf8"

// runeLen counts characters, not bytes: length limits speak of characters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
