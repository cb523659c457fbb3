package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// Security is every signed-in user's "Sign-in and security" page: change the password,
// make new recovery codes, sign out everywhere.
func (h *Handler) Security(c *fiber.Ctx) error {
	return h.renderSecurity(c, fiber.StatusOK, fiber.Map{})
}

func (h *Handler) renderSecurity(c *fiber.Ctx, status int, data fiber.Map) error {
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
	data["CodesLeft"], data["Sessions"] = left, n
	return h.render(c, status, "pages/account/security", "Sign-in and security", data)
}

// SecurityPassword changes the password after checking the current one. Every other
// session of the user ends.
func (h *Handler) SecurityPassword(c *fiber.Ctx) error {
	u := currentUser(c)
	if h.blocked(c, "login", u.Email) {
		return tooManyChecks
	}
	current := utils.CopyString(c.FormValue("current_password"))
	if len(current) > 1024 {
		current = ""
	}
	pw, confirm := utils.CopyString(c.FormValue("password")), utils.CopyString(c.FormValue("password_confirm"))
	errs := models.FieldErrors{}
	if !models.CheckPassword(u.PasswordHash, current) {
		errs["current_password"] = "Your current password is not right."
	} else if pw == current {
		errs["password"] = "Choose a password different from the current one."
	} else {
		errs = passwordErrors(pw, confirm, u.Email, u.Name, u.AccountName)
	}
	if len(errs) > 0 {
		if errs["current_password"] != "" {
			h.failed(c, "login", u.Email)
		}
		return h.renderSecurity(c, fiber.StatusUnprocessableEntity, fiber.Map{"Errors": errs})
	}
	hash, err := models.HashPassword(pw)
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
	users := h.st.Users
	method, err := users.VerifySecondFactor(c.UserContext(), u, utils.CopyString(c.FormValue("code")))
	if err != nil {
		return err
	}
	if method != "totp" {
		h.failed(c, "mfa", u.Email)
		return h.renderSecurity(c, fiber.StatusUnprocessableEntity, fiber.Map{"Errors": models.FieldErrors{
			"code": "That code did not work. Enter the current 6-digit code from your authenticator app (each code works once)."}})
	}
	codes, err := users.NewRecoveryCodes(c.UserContext(), h.actor(c), u)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/auth/recovery", "Your recovery codes", fiber.Map{"Codes": codes, "Back": "/security"})
}
