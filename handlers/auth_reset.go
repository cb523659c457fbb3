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

// resetRequestView is the data of pages/auth/reset_request: the e-mail as typed.
type resetRequestView struct {
	View
	Email  string
	Errors models.FieldErrors
}

// resetRequestForm is "Trouble logging in?" as typed: the e-mail the link goes to.
type resetRequestForm struct {
	Email string `form:"email"`
}

// Validate asks for something that looks like an e-mail address. Whether it has an
// account is never said; an address longer than any can be is not shown again.
func (f *resetRequestForm) Validate() models.FieldErrors {
	if f.Email != "" && strings.Contains(f.Email, "@") && len(f.Email) <= 254 {
		return nil
	}
	if len(f.Email) > 254 {
		f.Email = ""
	}
	return models.FieldErrors{"email": "Enter the e-mail address you sign in with, like name@example.com."}
}

// messageView is the data of a page that only tells what happens next
// (pages/auth/reset_sent, pages/register/sent).
type messageView struct {
	View
	Message string
}

// ResetRequest shows "Trouble logging in?".
func (h *Handler) ResetRequest(c *fiber.Ctx) error {
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/auth/reset_request", "Trouble logging in?", &resetRequestView{})
}

// ResetRequestPost e-mails a reset link when the e-mail has an account, and answers the
// same in every case.
func (h *Handler) ResetRequestPost(c *fiber.Ctx) error {
	var f resetRequestForm
	if errs := h.bindForm(c, &f); errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/auth/reset_request", "Trouble logging in?",
			&resetRequestView{Email: f.Email, Errors: errs})
	}
	email := f.Email
	if !h.limiter.Allow("reset-ip:"+c.IP(), limitPerIP, limitWindow) {
		return tooManyResets
	}
	// Per account the limit is silent: the answer must not differ between e-mails.
	if h.limiter.Allow("reset-acct:"+strings.ToLower(email), 3, 30*time.Minute) {
		if err := h.st.Users.RequestPasswordReset(c.UserContext(), email, h.opts.BaseURL, h.opts.PlanName, c.IP()); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "pages/auth/reset_sent", "Check your e-mail", &messageView{Message: resetSentMessage})
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
	return h.render(c, fiber.StatusOK, "pages/auth/reset_form", "Choose a new password", &resetFormView{Token: token})
}

// resetFormView is the data of pages/auth/reset_form: the link's token and what was
// wrong with the new password.
type resetFormView struct {
	View
	Token  string
	Errors models.FieldErrors
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
	var f models.NewPassword
	f.For(u.Email, u.Name, u.AccountName)
	if errs := h.bindForm(c, &f); errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/auth/reset_form", "Choose a new password", &resetFormView{Token: token, Errors: errs})
	}
	hash, err := models.HashPassword(f.Password)
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
