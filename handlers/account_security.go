package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// Security is every signed-in user's "Sign-in and security" page: change the password,
// make new recovery codes, sign out everywhere.
func (h *Handler) Security(c *fiber.Ctx) error {
	return h.renderSecurity(c, fiber.StatusOK, nil)
}

// securityView is the data of pages/account/security: recovery codes left, sessions
// open, and what was wrong with a form sent.
type securityView struct {
	View
	CodesLeft, Sessions int
	Errors              models.FieldErrors
}

func (h *Handler) renderSecurity(c *fiber.Ctx, status int, errs models.FieldErrors) error {
	u := currentUser(c)
	ctx := c.UserContext()
	left, err := h.st.Users.RecoveryCodesLeft(ctx, u.ID)
	if err != nil {
		return err
	}
	n, err := h.sessions().CountForUser(ctx, u.ID)
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/account/security", "Sign-in and security", &securityView{CodesLeft: left, Sessions: n, Errors: errs})
}

// changePasswordForm is the password change as typed: the current password, then the
// new one twice. Passwords keep their spaces.
type changePasswordForm struct {
	Current  string `form:"current_password" trim:"no"`
	Password string `form:"password" trim:"no"`
	Confirm  string `form:"password_confirm" trim:"no"`
	user     *models.User
}

// Validate checks the current password first (a current password longer than any can
// be is not hashed), then that the new one differs and follows the password policy.
func (f *changePasswordForm) Validate() models.FieldErrors {
	current := f.Current
	if len(current) > 1024 {
		current = ""
	}
	u := f.user
	switch {
	case !models.CheckPassword(u.PasswordHash, current):
		return models.FieldErrors{"current_password": "Your current password is not right."}
	case f.Password == current:
		return models.FieldErrors{"password": "Choose a password different from the current one."}
	}
	p := models.NewPassword{Password: f.Password, Confirm: f.Confirm}
	p.For(u.Email, u.Name, u.AccountName)
	return p.Validate()
}

// SecurityPassword changes the password after checking the current one. Every other
// session of the user ends.
func (h *Handler) SecurityPassword(c *fiber.Ctx) error {
	u := currentUser(c)
	if h.blocked(c, "login", u.Email) {
		return tooManyChecks
	}
	f := changePasswordForm{user: u}
	if errs := h.bindForm(c, &f); errs != nil {
		if errs["current_password"] != "" {
			h.failed(c, "login", u.Email)
		}
		return h.renderSecurity(c, fiber.StatusUnprocessableEntity, errs)
	}
	hash, err := models.HashPassword(f.Password)
	if err != nil {
		return err
	}
	sess := currentSession(c)
	if err := h.st.Users.ChangePassword(c.UserContext(), h.actor(c), u, hash, sess.TokenHash); err != nil {
		return err
	}
	h.flash(c, "success", "Your password is changed. You stay signed in here; other browsers were signed out.")
	return c.Redirect("/security", fiber.StatusSeeOther)
}

// SecurityRecoveryCodes replaces the recovery codes after a current authenticator code
// and shows the new ones once.
func (h *Handler) SecurityRecoveryCodes(c *fiber.Ctx) error {
	u := currentUser(c)
	if h.blocked(c, "mfa", u.Email) {
		return tooManyChecks
	}
	var f codeForm
	if errs := h.bindForm(c, &f); errs != nil {
		h.failed(c, "mfa", u.Email)
		return h.renderSecurity(c, fiber.StatusUnprocessableEntity, errs)
	}
	users := h.st.Users
	method, err := users.VerifySecondFactor(c.UserContext(), u, f.Code)
	if err != nil {
		return err
	}
	if method != "totp" {
		h.failed(c, "mfa", u.Email)
		return h.renderSecurity(c, fiber.StatusUnprocessableEntity, models.FieldErrors{
			"code": "That code did not work. Enter the current 6-digit code from your authenticator app (each code works once)."})
	}
	codes, err := users.NewRecoveryCodes(c.UserContext(), h.actor(c), u)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/auth/recovery", "Your recovery codes", &recoveryView{Codes: codes, Back: "/security"})
}
