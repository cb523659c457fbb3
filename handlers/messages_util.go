package handlers

import (
	"net/url"
	"strings"
)

// msgASCIIName is a file name reduced to printable ASCII for the plain filename parameter.
func msgASCIIName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}

// msgEscapeName escapes a file name for the RFC 5987 filename* parameter.
func msgEscapeName(s string) string { return strings.ReplaceAll(url.PathEscape(s), "'", "%27") }
