package handlers

import (
	"errors"
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
	return h.renderRegister(c, fiber.StatusOK, &models.Registration{}, nil)
}

// registerView is the data of pages/register/form: the registration as typed (never
// the passwords) and the kinds of provider to choose from.
type registerView struct {
	View
	Form   *models.Registration
	Types  []struct{ Value, Label string }
	Errors models.FieldErrors
}

func (h *Handler) renderRegister(c *fiber.Ctx, status int, r *models.Registration, errs models.FieldErrors) error {
	return h.render(c, status, "pages/register/form", "Register for a new account", &registerView{Form: r, Types: models.ProviderTypes, Errors: errs})
}

// RegisterPost checks the form, keeps the registration and e-mails the verification link.
func (h *Handler) RegisterPost(c *fiber.Ctx) error {
	if !h.limiter.Allow("register-ip:"+c.IP(), 10, time.Hour) {
		return tooManyRegistrations
	}
	r := &models.Registration{}
	errs := h.bindForm(c, r)
	if len(errs) == 0 {
		errs = models.FieldErrors{}
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
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, r, errs)
	}
	return h.render(c, fiber.StatusOK, "pages/register/sent", "Check your e-mail", &messageView{Message: registerSentMessage})
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
	return h.render(c, fiber.StatusOK, "pages/register/verify", "Verify your e-mail", &registerVerifyView{Reg: p, Token: token,
		TypeLabel: models.ProviderTypeLabel(p.ProviderType)})
}

// registerVerifyView is the data of pages/register/verify: the registration the link
// opens, for its owner to confirm.
type registerVerifyView struct {
	View
	Reg       *models.PendingRegistration
	Token     string
	TypeLabel string
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
	return h.render(c, fiber.StatusOK, "pages/register/invite", "Accept your invitation", &inviteView{Token: token, Invitee: u, Name: u.Name})
}

// inviteView is the data of pages/register/invite: who is invited and the name as typed.
type inviteView struct {
	View
	Token   string
	Invitee *models.User
	Name    string
	Errors  models.FieldErrors
}

// acceptInviteForm is the invitation form as typed: the invitee's name and password.
type acceptInviteForm struct {
	Name string `form:"name"`
	models.NewPassword
	email, accountName string
}

// Validate asks for a name and a password that contains neither it, the e-mail nor the
// account's name.
func (f *acceptInviteForm) Validate() models.FieldErrors {
	f.For(f.email, f.Name, f.accountName)
	errs := f.NewPassword.Validate()
	if f.Name == "" || len(f.Name) > 200 {
		errs["name"] = "Enter your name as colleagues know it."
	}
	return errs
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
	f := acceptInviteForm{email: u.Email, accountName: u.AccountName}
	if errs := h.bindForm(c, &f); errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/register/invite", "Accept your invitation",
			&inviteView{Token: token, Invitee: u, Name: f.Name, Errors: errs})
	}
	hash, err := models.HashPassword(f.Password)
	if err != nil {
		return err
	}
	u, err = users.AcceptInvitation(ctx, token, f.Name, hash, c.IP())
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
