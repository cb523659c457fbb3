// Package views embeds the HTML templates: pages/<area>/<action>.html, partials/, errors/.
package views

import "embed"

// FS holds every template.
//
//go:embed pages partials errors
var FS embed.FS
