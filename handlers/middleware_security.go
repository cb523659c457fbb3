package handlers

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows only the binary's own scripts and styles: no inline
// script or style, no third-party origin, no framing. data: images carry the TOTP QR code.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries (SPEC §2).
func (h *Handler) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if h.opts.TLS {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// requestLog writes a line for every request that failed on the server's side (status 500
// and above, at warning level) and, with debug logging on, for every request: method,
// route pattern (never the raw path or query, which could carry a member ID), the status
// the client got, duration. No health information. A 403 or 404 is not an error.
func (h *Handler) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		// The error page is rendered here, so that the status logged below is the one
		// the client got (a 403 or 404 from a model's sentinel error is not a 500).
		if herr := h.errorHandler(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelWarn
	}
	if !h.log.Enabled(c.UserContext(), level) {
		return nil
	}
	h.log.Log(c.UserContext(), level, "request", "method", c.Method(), "route", c.Route().Path, "status", status, "ms", time.Since(start).Milliseconds())
	return nil
}
