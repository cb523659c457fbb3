package handlers

import (
	"net/url"
	"strings"
)

// asciiName is a file name reduced to printable ASCII for the plain filename parameter.
func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}

// urlPathEscape escapes a file name for the RFC 5987 filename* parameter.
func urlPathEscape(s string) string { return strings.ReplaceAll(url.PathEscape(s), "'", "%27") }
