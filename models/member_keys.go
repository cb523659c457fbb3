package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// nameSuffixes are generational suffixes ignored when matching last names.
var nameSuffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "v": true}

// LastNameKey folds a last name for matching (SPEC §4): case and accents ignored,
// a trailing suffix (Jr., Sr., II, III) dropped, spaces and punctuation removed.
// "Smith Jr." and "SMITH" share a key; so do "Núñez" and "nunez".
func LastNameKey(name string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, name)
	if err != nil {
		folded = name
	}
	folded = strings.ToLower(folded)
	words := strings.FieldsFunc(folded, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	for len(words) > 1 && nameSuffixes[strings.Trim(words[len(words)-1], ".")] {
		words = words[:len(words)-1]
	}
	var b strings.Builder
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// NormalizeMemberID keeps the alpha prefix and digits of a member ID, in upper case,
// without spaces or dashes: " a10-000 0001 " becomes "A100000001".
func NormalizeMemberID(id string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(id) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
