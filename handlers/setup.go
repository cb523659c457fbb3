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
	return h.render(c, fiber.StatusOK, "pages/setup/admin", "Set up the first plan admin", &setupView{Token: token, PlanDomain: h.opts.PlanDomain})
}

// setupView is the data of pages/setup/admin: the first admin's name and e-mail as typed.
type setupView struct {
	View
	Token, PlanDomain string
	Name, Email       string
	Errors            models.FieldErrors
}

// setupForm is the first plan admin as typed: name, e-mail and password.
type setupForm struct {
	Name  string `form:"name"`
	Email string `form:"email"`
	models.NewPassword
	planDomain string
}

// Validate asks for a name, an e-mail address and a password that contains neither.
func (f *setupForm) Validate() models.FieldErrors {
	f.For(f.Email, f.Name)
	errs := f.NewPassword.Validate()
	if f.Name == "" {
		errs["name"] = "Enter your name."
	}
	if !models.ValidEmail(f.Email) {
		errs["email"] = "Enter an e-mail address like name@" + f.planDomain + "."
	}
	return errs
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
	f := setupForm{planDomain: h.opts.PlanDomain}
	if errs := h.bindForm(c, &f); errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/setup/admin", "Set up the first plan admin",
			&setupView{Token: token, PlanDomain: h.opts.PlanDomain, Name: f.Name, Email: f.Email, Errors: errs})
	}
	hash, err := models.HashPassword(f.Password)
	if err != nil {
		return err
	}
	u, err := h.st.Users.CreateFirstAdmin(c.UserContext(), token, f.Email, f.Name, hash, c.IP())
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
