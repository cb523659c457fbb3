package handlers

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// actor is the signed-in user of the request, for model methods that audit.
func (h *Handler) actor(c *fiber.Ctx) models.Actor { return actorOf(c, currentUser(c)) }

// actorOf is u (who may not be fully signed in yet, or nil for a visitor) acting from
// the request's address.
func actorOf(c *fiber.Ctx, u *models.User) models.Actor {
	a := models.Actor{IP: c.IP()}
	if u != nil {
		a.UserID, a.Email, a.AccountID = u.ID, u.Email, u.AccountID
	}
	return a
}

// formValues returns every value of a repeated form field (checkboxes), copied.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// form returns a trimmed, copied form value.
func form(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(utils.CopyString(c.FormValue(name)))
}

// tooManyRegistrations is the 429 answer of the registration form.
var tooManyRegistrations = fiber.NewError(fiber.StatusTooManyRequests,
	"Too many registrations were sent from this network in the last hour. Please wait an hour and try again; "+
		"if your office needs several accounts, register one and add the others in User Management, or call Provider Services.")

// registerSentMessage is the one answer to a registration, whatever the e-mail.
const registerSentMessage = "We have sent a link to the account manager's e-mail address. Follow it within 24 hours to verify the address and open the account. " +
	"If the address already has an account, the e-mail says so instead."

// Register shows the registration form.
func (h *Handler) Register(c *fiber.Ctx) error {
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	return h.renderRegister(c, fiber.StatusOK, fiber.Map{"Form": &models.Registration{}})
}

func (h *Handler) renderRegister(c *fiber.Ctx, status int, data fiber.Map) error {
	data["Types"] = models.ProviderTypes
	return h.render(c, status, "pages/register/form", "Register for a new account", data)
}

// RegisterPost checks the form, keeps the registration and e-mails the verification link.
func (h *Handler) RegisterPost(c *fiber.Ctx) error {
	if !h.limiter.Allow("register-ip:"+c.IP(), 10, time.Hour) {
		return tooManyRegistrations
	}
	r := &models.Registration{ProviderName: form(c, "provider_name"), ProviderType: form(c, "provider_type"), NPI: form(c, "npi"),
		TIN: form(c, "tin"), ContactName: form(c, "contact_name"), Phone: form(c, "phone"), Email: form(c, "email"),
		Password: utils.CopyString(c.FormValue("password")), Confirm: utils.CopyString(c.FormValue("password_confirm"))}
	errs := r.Validate()
	if len(errs) == 0 {
		hash, err := models.HashPassword(r.Password)
		if err != nil {
			return err
		}
		err = h.st.Registrations.Start(c.UserContext(), r, hash, h.opts.BaseURL, h.opts.PlanName, c.IP())
		if errors.Is(err, models.ErrTINTaken) {
			errs["tin"] = "This TIN already belongs to a provider account on the portal. Ask that account's manager to invite you, or call Provider Services."
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		r.Password, r.Confirm = "", ""
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, fiber.Map{"Form": r, "Errors": errs})
	}
	return h.render(c, fiber.StatusOK, "pages/register/sent", "Check your e-mail", fiber.Map{"Message": registerSentMessage})
}

// RegisterVerify shows the registration behind a verification link with a button to
// confirm it (a GET never changes anything).
func (h *Handler) RegisterVerify(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	p, err := h.st.Registrations.Peek(c.UserContext(), token)
	if isLinkUsed(err) {
		return errLink("verification")
	}
	if err != nil {
		return err
	}
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "pages/register/verify", "Verify your e-mail", fiber.Map{"Reg": p, "Token": token,
		"TypeLabel": models.ProviderTypeLabel(p.ProviderType)})
}

// RegisterVerifyPost opens the account. The account manager then signs in and enrols
// the second factor.
func (h *Handler) RegisterVerifyPost(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	_, err := h.st.Registrations.Complete(c.UserContext(), token, c.IP())
	switch {
	case isLinkUsed(err):
		return errLink("verification")
	case errors.Is(err, models.ErrConflict):
		return fiber.NewError(fiber.StatusConflict, "This e-mail address already has an account. Sign in, or use “Trouble logging in?”.")
	case err != nil:
		return err
	}
	h.flash(c, "success", "Your e-mail is verified and the account is open. Sign in to set up your authenticator app. Your TIN stays pending until it is verified.")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// Invite shows the form behind an invitation link: name and password.
func (h *Handler) Invite(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	id, err := h.st.Tokens.PeekToken(c.UserContext(), h.db.R, models.TokenInvite, token)
	if isLinkUsed(err) {
		return errLink("invitation")
	}
	if err != nil {
		return err
	}
	u, err := h.st.Users.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "pages/register/invite", "Accept your invitation", fiber.Map{"Token": token, "Invitee": u, "Name": u.Name})
}

// InvitePost sets the invited user's name and password, then starts enrolment of the
// second factor in a new session.
func (h *Handler) InvitePost(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	ctx := c.UserContext()
	users := h.st.Users
	id, err := h.st.Tokens.PeekToken(ctx, h.db.R, models.TokenInvite, token)
	if isLinkUsed(err) {
		return errLink("invitation")
	}
	if err != nil {
		return err
	}
	u, err := users.ByID(ctx, id)
	if err != nil {
		return err
	}
	name := form(c, "name")
	pw, confirm := utils.CopyString(c.FormValue("password")), utils.CopyString(c.FormValue("password_confirm"))
	errs := passwordErrors(pw, confirm, u.Email, name, u.AccountName)
	if name == "" || len(name) > 200 {
		errs["name"] = "Enter your name as colleagues know it."
	}
	if len(errs) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/register/invite", "Accept your invitation",
			fiber.Map{"Token": token, "Invitee": u, "Name": name, "Errors": errs})
	}
	hash, err := models.HashPassword(pw)
	if err != nil {
		return err
	}
	u, err = users.AcceptInvitation(ctx, token, name, hash, c.IP())
	if isLinkUsed(err) {
		return errLink("invitation")
	}
	if err != nil {
		return err
	}
	if err := h.beginEnrolment(c, u); err != nil {
		return err
	}
	return c.Redirect("/login/enrol", fiber.StatusSeeOther)
}
