package handlers

import (
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

// requestLog writes one line per failed request (status 500 and above): method, route
// pattern (never the raw path or query, which could carry a member ID), status,
// duration. No health information. Successful requests are not logged: a line per
// request would cost more than the request itself at the budgeted rates.
func (h *Handler) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	if status >= 500 {
		route := c.Route().Path
		h.log.Info("request", "method", c.Method(), "route", route, "status", status, "ms", time.Since(start).Milliseconds())
	}
	return err
}
