package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// resetSentMessage is the one answer to a reset request, whatever the e-mail.
const resetSentMessage = "If an account uses that e-mail address, we have sent it a link to set a new password. " +
	"The link works once, for 30 minutes. Setting a new password also unlocks the account. Check your spam folder if nothing arrives."

// tooManyResets is the 429 answer of "Trouble logging in?": it speaks of resets.
var tooManyResets = fiber.NewError(fiber.StatusTooManyRequests,
	"Too many password resets were asked for or tried from this network in the last 10 minutes. Please wait 10 minutes and try again. "+
		"A reset link already e-mailed to you keeps working for 30 minutes; if none arrives, call Provider Services.")

// ResetRequest shows "Trouble logging in?".
func (h *Handler) ResetRequest(c *fiber.Ctx) error {
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/auth/reset_request", "Trouble logging in?", fiber.Map{})
}

// ResetRequestPost e-mails a reset link when the e-mail has an account, and answers the
// same in every case.
func (h *Handler) ResetRequestPost(c *fiber.Ctx) error {
	email := strings.TrimSpace(utils.CopyString(c.FormValue("email")))
	if email == "" || !strings.Contains(email, "@") || len(email) > 254 {
		if len(email) > 254 {
			email = ""
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/auth/reset_request", "Trouble logging in?",
			fiber.Map{"Email": email, "Errors": models.FieldErrors{"email": "Enter the e-mail address you sign in with, like name@example.com."}})
	}
	if !h.limiter.Allow("reset-ip:"+c.IP(), limitPerIP, limitWindow) {
		return tooManyResets
	}
	// Per account the limit is silent: the answer must not differ between e-mails.
	if h.limiter.Allow("reset-acct:"+strings.ToLower(email), 3, 30*time.Minute) {
		if err := h.st.Users.RequestPasswordReset(c.UserContext(), email, h.opts.BaseURL, h.opts.PlanName, c.IP()); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "pages/auth/reset_sent", "Check your e-mail", fiber.Map{"Message": resetSentMessage})
}

// ResetForm shows the new-password form of a reset link.
func (h *Handler) ResetForm(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	if _, err := h.st.Tokens.PeekToken(c.UserContext(), h.db.R, models.TokenReset, token); err != nil {
		if isLinkUsed(err) {
			return errLink("password reset")
		}
		return err
	}
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "pages/auth/reset_form", "Choose a new password", fiber.Map{"Token": token})
}

// ResetFormPost sets the new password. It unlocks the user but signs nobody in: the
// next sign-in still asks for the second factor.
func (h *Handler) ResetFormPost(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	if !h.limiter.Allow("reset-ip:"+c.IP(), limitPerIP, limitWindow) {
		return tooManyResets
	}
	ctx := c.UserContext()
	userID, err := h.st.Tokens.PeekToken(ctx, h.db.R, models.TokenReset, token)
	if err != nil {
		if isLinkUsed(err) {
			return errLink("password reset")
		}
		return err
	}
	u, err := h.st.Users.ByID(ctx, userID)
	if err != nil {
		return err
	}
	pw := utils.CopyString(c.FormValue("password"))
	confirm := utils.CopyString(c.FormValue("password_confirm"))
	if errs := passwordErrors(pw, confirm, u.Email, u.Name, u.AccountName); len(errs) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/auth/reset_form", "Choose a new password", fiber.Map{"Token": token, "Errors": errs})
	}
	hash, err := models.HashPassword(pw)
	if err != nil {
		return err
	}
	if _, err := h.st.Users.CompleteReset(ctx, token, hash, c.IP()); err != nil {
		if isLinkUsed(err) {
			return errLink("password reset")
		}
		return err
	}
	_ = h.endSession(c)
	h.flash(c, "success", "Your new password is set and your account is unlocked. Sign in with it and your authenticator code.")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// passwordErrors checks a new password and its confirmation (SPEC §2).
func passwordErrors(pw, confirm, email string, names ...string) models.FieldErrors {
	errs := models.FieldErrors{}
	if msg := models.PasswordProblem(pw, email, names...); msg != "" {
		errs["password"] = msg
	} else if pw != confirm {
		errs["password_confirm"] = "The two passwords are not the same. Type the new password again."
	}
	return errs
}
