package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// CSRF tokens (SPEC §2). A signed-in session (and a sign-in half done) keeps its token
// in its row. A visitor who is not signed in gets no row at all (a visitor costs no
// database write): the browser holds a random nonce in a cookie and the form carries
// HMAC(key, nonce) under a key derived from the master key file, so another site can
// neither read nor forge the pair (signed double-submit).
//
// Every response hands the token out masked: a fresh random pad followed by the pad
// XOR the token. The bytes on the page change with each response, so a compressed page
// that also reflects the visitor's input leaks nothing about the token (BREACH).

const localCSRFNonce = "portico.csrfnonce"

// csrfCookieName is the visitor's nonce cookie; __Host- under TLS, like the session's.
func (h *Handler) csrfCookieName() string {
	if h.opts.TLS {
		return "__Host-portico-csrf"
	}
	return "portico_csrf"
}

// validNonce accepts only what csrfNonce hands out: 32 random bytes, base64url.
func validNonce(s string) bool {
	if len(s) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// anonCSRF is the visitor's raw token: HMAC of the nonce under the CSRF key.
func (h *Handler) anonCSRF(nonce string) []byte {
	m := hmac.New(sha256.New, h.csrfKey)
	m.Write([]byte("anon-csrf|" + nonce))
	return m.Sum(nil)
}

// visitorNonce is the request's valid nonce (from this response or the cookie), or "".
func (h *Handler) visitorNonce(c *fiber.Ctx) string {
	if n, _ := c.Locals(localCSRFNonce).(string); n != "" {
		return n
	}
	if n := c.Cookies(h.csrfCookieName()); validNonce(n) {
		return utils.CopyString(n)
	}
	return ""
}

// rawCSRF is the unmasked token this request must present, or nil when it has none.
func (h *Handler) rawCSRF(c *fiber.Ctx) []byte {
	if s := currentSession(c); s != nil {
		if b, err := base64.RawURLEncoding.DecodeString(s.CSRF); err == nil {
			return b
		}
		return []byte(s.CSRF)
	}
	if n := h.visitorNonce(c); n != "" {
		return h.anonCSRF(n)
	}
	return nil
}

// maskToken returns pad ‖ pad⊕raw, base64url-encoded, with a fresh random pad.
func maskToken(raw []byte) string {
	out := make([]byte, 2*len(raw))
	if _, err := rand.Read(out[:len(raw)]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	for i, b := range raw {
		out[len(raw)+i] = out[i] ^ b
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

// unmaskToken undoes maskToken; nil when given is not a masked token.
func unmaskToken(given string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(given)
	if err != nil || len(b) == 0 || len(b)%2 != 0 {
		return nil
	}
	n := len(b) / 2
	raw := make([]byte, n)
	for i := range raw {
		raw[i] = b[i] ^ b[n+i]
	}
	return raw
}

// pageCSRF is the masked token for this response, or "" when the request has none.
func (h *Handler) pageCSRF(c *fiber.Ctx) string {
	raw := h.rawCSRF(c)
	if raw == nil {
		return ""
	}
	return maskToken(raw)
}

// csrfToken makes sure the page about to be rendered carries a token: a visitor
// without one gets a nonce cookie (and nothing in the database). It returns the
// masked token for this response.
func (h *Handler) csrfToken(c *fiber.Ctx) (string, error) {
	if currentSession(c) == nil && h.visitorNonce(c) == "" {
		n := randomNonce()
		c.Cookie(&fiber.Cookie{Name: h.csrfCookieName(), Value: n, Path: "/", HTTPOnly: true, Secure: h.opts.TLS,
			SameSite: fiber.CookieSameSiteLaxMode})
		c.Locals(localCSRFNonce, n)
	}
	return h.pageCSRF(c), nil
}

func randomNonce() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// bodyField reads a field from the request body only (URL-encoded or multipart), never
// from the query string.
func bodyField(c *fiber.Ctx, name string) string {
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		f, err := c.MultipartForm()
		if err != nil || len(f.Value[name]) == 0 {
			return ""
		}
		return f.Value[name][0]
	}
	return string(c.Request().PostArgs().Peek(name))
}

// checkCSRF refuses a state-changing request without the request's token, given as the
// _csrf field of the body or the X-CSRF-Token header (HTMX); a token in the query
// string does not count (it would end up in logs and Referer headers). Safe methods pass.
func (h *Handler) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	want := h.rawCSRF(c)
	given := c.Get("X-CSRF-Token")
	if given == "" {
		given = bodyField(c, "_csrf")
	}
	if want == nil || given == "" || !csrfMatches(given, want) {
		return fiber.NewError(fiber.StatusForbidden, "Your form expired or did not come from this site. Go back, reload the page and try again.")
	}
	return c.Next()
}

// csrfMatches accepts a masked token (the pages' form) and, for a session, its raw
// form too (which no page shows, but scripts and tests built on the stored row use).
func csrfMatches(given string, want []byte) bool {
	if raw := unmaskToken(given); len(raw) == len(want) && subtle.ConstantTimeCompare(raw, want) == 1 {
		return true
	}
	b, err := base64.RawURLEncoding.DecodeString(given)
	return err == nil && len(b) == len(want) && subtle.ConstantTimeCompare(b, want) == 1
}
