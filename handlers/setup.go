package handlers

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// FirstAdminLink returns a one-time link to set up the first plan admin of an empty
// database, or "" when users exist. Each start of an empty server prints a new link.
func (h *Handler) FirstAdminLink(ctx context.Context) (string, error) {
	token, err := h.st.Users.FirstAdminToken(ctx)
	if err != nil || token == "" {
		return "", err
	}
	return h.opts.BaseURL + "/setup/" + token, nil
}

// Setup shows the form that creates the first plan admin.
func (h *Handler) Setup(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	if _, err := h.st.Tokens.PeekToken(c.UserContext(), h.db.R, models.TokenSetup, token); err != nil {
		if isLinkUsed(err) {
			return errLink("set-up")
		}
		return err
	}
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "pages/setup/admin", "Set up the first plan admin", fiber.Map{"Token": token, "PlanDomain": h.opts.PlanDomain})
}

// SetupPost creates the first plan admin, who then enrols the second factor.
func (h *Handler) SetupPost(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	if _, err := h.st.Tokens.PeekToken(c.UserContext(), h.db.R, models.TokenSetup, token); err != nil {
		if isLinkUsed(err) {
			return errLink("set-up")
		}
		return err
	}
	name, email := form(c, "name"), form(c, "email")
	pw, confirm := utils.CopyString(c.FormValue("password")), utils.CopyString(c.FormValue("password_confirm"))
	errs := passwordErrors(pw, confirm, email, name)
	if name == "" {
		errs["name"] = "Enter your name."
	}
	if !models.ValidEmail(email) {
		errs["email"] = "Enter an e-mail address like name@" + h.opts.PlanDomain + "."
	}
	if len(errs) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/setup/admin", "Set up the first plan admin",
			fiber.Map{"Token": token, "PlanDomain": h.opts.PlanDomain, "Name": name, "Email": email, "Errors": errs})
	}
	hash, err := models.HashPassword(pw)
	if err != nil {
		return err
	}
	u, err := h.st.Users.CreateFirstAdmin(c.UserContext(), token, email, name, hash, c.IP())
	switch {
	case isLinkUsed(err), errors.Is(err, models.ErrConflict):
		return errLink("set-up")
	case err != nil:
		return err
	}
	if err := h.beginEnrolment(c, u); err != nil {
		return err
	}
	return c.Redirect("/login/enrol", fiber.StatusSeeOther)
}
