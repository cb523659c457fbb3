package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

var errorTitles = map[int]string{
	400: "That request could not be read",
	401: "Please sign in",
	403: "You do not have access to this page",
	404: "Page not found",
	405: "That action is not available here",
	409: "That conflicts with a change already made",
	413: "That upload is too large",
	422: "Please check what you entered",
	429: "Too many attempts",
	500: "Something went wrong on our side",
	503: "Portico is busy",
}

var errorMessages = map[int]string{
	403: "Your account does not have permission for this. Your account manager can grant access in User Management.",
	404: "The page you asked for is not here. Check the address, or use the navigation above.",
	422: "Some of what you entered could not be used. Go back, check the form and try again; nothing was saved.",
	429: "Please wait a few minutes before trying again.",
	500: "We are sorry: the page could not be shown. Nothing you entered has been shared. Please try again; if it keeps happening, call Provider Services and quote the reference below.",
}

// errorHandler renders every error as a page. Sentinel errors map to their statuses;
// a *fiber.Error carries a status and a message written for users; anything else is a
// 500 that is logged (route and reference only) and never shown.
func (h *Handler) errorHandler(c *fiber.Ctx, err error) error {
	if errors.Is(err, errEmergencyNeeded) {
		return nil // the emergency-access form is the answer, already rendered
	}
	if err == fiber.ErrBadGateway {
		// Only the server's connection layer reports this (our handlers never do): the
		// connection broke before a request could be read, e.g. a TLS error after the
		// handshake or a reset. It is not a failed request.
		h.log.Debug("connection failed before a request was read", "remote", c.Context().RemoteAddr().String())
		return nil
	}
	code := fiber.StatusInternalServerError
	msg := ""
	var fe *fiber.Error
	switch {
	case errors.Is(err, models.ErrNotFound):
		code = fiber.StatusNotFound
	case errors.Is(err, models.ErrForbidden):
		code = fiber.StatusForbidden
	case errors.Is(err, models.ErrConflict):
		code = fiber.StatusConflict
	case errors.Is(err, models.ErrInvalid):
		code = fiber.StatusUnprocessableEntity
	case errors.As(err, &fe):
		code = fe.Code
		if code < 500 && fe.Message != utilsStatusMessage(code) {
			msg = fe.Message
		}
	}
	ref := ""
	if code >= 500 {
		ref = models.RandomToken(6)
		h.log.Error("request failed", "method", c.Method(), "route", c.Route().Path, "ref", ref, "err", err)
	}
	if msg == "" && code == fiber.StatusForbidden {
		msg = forbiddenMessage(currentUser(c))
	}
	if msg == "" {
		msg = errorMessages[code]
	}
	title := errorTitles[code]
	if title == "" {
		title = "That did not work"
	}
	if isHTMX(c) {
		// Swap a short alert into the target instead of a whole page.
		c.Set("HX-Retarget", "#flash")
		c.Set("HX-Reswap", "innerHTML")
	}
	data := &errorView{Code: code, Heading: title, Message: msg, Ref: ref, Fragment: isHTMX(c)}
	if rerr := h.render(c, code, "errors/error", title, data); rerr != nil {
		h.log.Error("error page failed", "route", c.Route().Path, "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(code).SendString(title)
	}
	return nil
}

// errorView is the data of errors/error.
type errorView struct {
	View
	Code                  int
	Heading, Message, Ref string
	// Fragment is set for an htmx request: the page is a short alert swapped into #flash.
	Fragment bool
}

// forbiddenMessage tells who can grant access: the account manager for office staff,
// a plan admin for plan staff; an account manager or a visitor is told what to do.
func forbiddenMessage(u *models.User) string {
	switch {
	case u == nil:
		return "This page needs a signed-in user with access to it. Sign in, then try again."
	case u.IsPlanStaff():
		return "Your plan role does not include this page or record. A plan admin can change your roles in Admin; if you reached it from a link, the link may be meant for provider offices."
	case u.IsManager:
		return "This page or record is not open to your provider account: it belongs to another office, or your account lacks the TIN or care relationship it needs. Call Provider Services if you think it should be open to you."
	}
	return errorMessages[fiber.StatusForbidden]
}

func utilsStatusMessage(code int) string { return fiber.NewError(code).Message }
