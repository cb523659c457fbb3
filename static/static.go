// Package static embeds the CSS, JavaScript and images the binary serves.
package static

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS
