package models

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

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

// DateRange reads a filter's "from" and "to" dates as typed (MM/DD/YYYY, or ISO) into ISO
// dates, each optional. A date that is not a real one is reported under its input's id
// (fromID, toID) in words naming the field (fromWords, toWords: "the “from” date"), and
// so is a "to" date before the "from" date.
func DateRange(from, to, fromID, toID, fromWords, toWords string, errs FieldErrors) (isoFrom, isoTo string) {
	if from != "" {
		if d, ok := ParseUSDate(from); ok {
			isoFrom = d
		} else {
			errs[fromID] = "Enter " + fromWords + " as MM/DD/YYYY."
		}
	}
	if to != "" {
		if d, ok := ParseUSDate(to); ok {
			isoTo = d
		} else {
			errs[toID] = "Enter " + toWords + " as MM/DD/YYYY."
		}
	}
	if isoFrom != "" && isoTo != "" && isoFrom > isoTo {
		errs[toID] = upperFirst(toWords) + " must be on or after " + fromWords + "."
	}
	return isoFrom, isoTo
}

// PageNumber reads a list's page number as typed: anything not a number from 1 to last
// is page 1 (an old link or a hand-edited URL still shows a page).
func PageNumber(s string, last int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > last {
		return 1
	}
	return n
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
