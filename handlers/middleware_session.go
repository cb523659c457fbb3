package handlers

import (
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

const (
	localSession = "portico.session"
	localUser    = "portico.user"
	localToken   = "portico.token"
)

// cookieName is the session cookie; under TLS it takes the __Host- prefix, which the
// browser accepts only with Secure, Path=/ and no Domain.
func (h *Handler) cookieName() string {
	if h.opts.TLS {
		return "__Host-portico"
	}
	return "portico"
}

// setSessionCookie hands the browser a session token.
func (h *Handler) setSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(), Value: token, Path: "/", HTTPOnly: true, Secure: h.opts.TLS, SameSite: fiber.CookieSameSiteLaxMode})
	c.Locals(localToken, token)
}

// clearSessionCookie removes the session cookie.
func (h *Handler) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(), Value: "", Path: "/", HTTPOnly: true, Secure: h.opts.TLS, SameSite: fiber.CookieSameSiteLaxMode,
		Expires: time.Unix(0, 0), MaxAge: -1})
}

// loadSession finds the request's session and user, if any, and restarts the idle clock.
// It never creates a session: anonymous pages stay free of writes.
func (h *Handler) loadSession(c *fiber.Ctx) error {
	token := utils.CopyString(c.Cookies(h.cookieName()))
	if token == "" {
		return c.Next()
	}
	ctx := c.UserContext()
	// The session and its user in one statement (Sessions.Load).
	sess, u, err := h.sessions().Load(ctx, token)
	if errors.Is(err, models.ErrNotFound) {
		h.clearSessionCookie(c)
		return c.Next()
	}
	if err != nil {
		return err
	}
	c.Locals(localSession, sess)
	c.Locals(localToken, token)
	if sess.UserID != 0 {
		if u == nil || u.Status != "active" {
			_ = h.sessions().Delete(ctx, token)
			h.clearSessionCookie(c)
			return c.Next()
		}
		// What the server keeps in memory for every page (the account's TINs, the
		// unread count) serves reading requests; a request that may change them reads
		// the database, so that the page it answers with shows its own change.
		if m := c.Method(); m != fiber.MethodGet && m != fiber.MethodHead {
			u.ForgetKept()
		}
		c.Locals(localUser, u)
		// A background poll (the unread badge) must not keep an idle session alive.
		if c.Get("X-Portico-Poll") == "" {
			if err := h.sessions().Touch(ctx, sess); err != nil {
				return err
			}
		}
	}
	return c.Next()
}

// currentSession is the request's session, or nil.
func currentSession(c *fiber.Ctx) *models.Session {
	s, _ := c.Locals(localSession).(*models.Session)
	return s
}

// currentUser is the fully signed-in user, or nil (a user still owing the second factor
// is not signed in).
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(localUser).(*models.User)
	s := currentSession(c)
	if u == nil || s == nil || s.Stage != models.StageFull {
		return nil
	}
	return u
}

// pendingUser is the user of a session at any stage (password given, second factor owed).
func pendingUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(localUser).(*models.User)
	return u
}

// requireUser sends visitors who are not signed in to the sign-in page (GET) or
// answers 401 (other methods).
func (h *Handler) requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	}
	if c.Method() == fiber.MethodGet {
		next := c.OriginalURL()
		if c.Get("HX-Request") != "" {
			c.Set("HX-Redirect", "/login")
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		return c.Redirect("/login?next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	return fiber.NewError(fiber.StatusUnauthorized, "Please sign in.")
}

// requirePerm is the one permission check for routes: a signed-in user holding perm
// (models.User.Can) passes; anyone else gets 403.
func (h *Handler) requirePerm(perm string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !currentUser(c).Can(perm) {
			return models.ErrForbidden
		}
		return c.Next()
	}
}

// requireOffice lets only provider office users through (plan staff get 403).
func (h *Handler) requireOffice(c *fiber.Ctx) error {
	if u := currentUser(c); u == nil || u.IsPlanStaff() {
		return models.ErrForbidden
	}
	return c.Next()
}

// requireManager lets only an office's account manager through.
func (h *Handler) requireManager(c *fiber.Ctx) error {
	if u := currentUser(c); u == nil || u.IsPlanStaff() || !u.IsManager {
		return models.ErrForbidden
	}
	return c.Next()
}

// requireRole lets through plan staff holding any of roles.
func (h *Handler) requireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		for _, r := range roles {
			if u.HasRole(r) {
				return c.Next()
			}
		}
		return models.ErrForbidden
	}
}

// startSession ends the request's current session, if any, and starts a new one for
// userID at stage, so that a session ID is never promoted in place: each step of
// sign-in (password, second factor) gets a fresh ID (session fixation).
func (h *Handler) startSession(c *fiber.Ctx, userID int64, stage string) (*models.Session, error) {
	ctx := c.UserContext()
	if old, _ := c.Locals(localToken).(string); old != "" {
		if err := h.sessions().Delete(ctx, old); err != nil {
			return nil, err
		}
	}
	token, sess, err := h.sessions().Create(ctx, userID, stage)
	if err != nil {
		return nil, err
	}
	h.setSessionCookie(c, token)
	c.Locals(localSession, sess)
	return sess, nil
}

// endSession signs the request's session out and removes the cookie.
func (h *Handler) endSession(c *fiber.Ctx) error {
	if old, _ := c.Locals(localToken).(string); old != "" {
		if err := h.sessions().Delete(c.UserContext(), old); err != nil {
			return err
		}
	}
	c.Locals(localSession, nil)
	c.Locals(localUser, nil)
	h.clearSessionCookie(c)
	return nil
}
