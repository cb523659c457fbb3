package handlers

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// accountUser loads a user of the manager's own account by the :id parameter. A user
// of another account is not found (404): managers never learn other accounts' users.
func (h *Handler) accountUser(c *fiber.Ctx) (*models.User, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	u, err := h.st.Users.ByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if me := currentUser(c); u.AccountID == 0 || u.AccountID != me.AccountID {
		return nil, models.ErrNotFound
	}
	return u, nil
}

// AccountUsers lists the account's users with the invitation form (User Management).
func (h *Handler) AccountUsers(c *fiber.Ctx) error {
	return h.renderAccountUsers(c, fiber.StatusOK, &inviteUserForm{Perms: []string{models.PermEligibility}}, nil)
}

// accountUsersView is the data of pages/account/users: the account's users and the
// invitation form as typed.
type accountUsersView struct {
	View
	Users       []*models.User
	Invite      *inviteUserForm
	PermChoices []Choice
	Errors      models.FieldErrors
}

// inviteUserForm is an invitation as typed: who, and with which permissions.
type inviteUserForm struct {
	Email string   `form:"email"`
	Name  string   `form:"name"`
	Perms []string `form:"perm"`
}

// Validate asks for an e-mail address and a name.
func (f *inviteUserForm) Validate() models.FieldErrors {
	errs := models.FieldErrors{}
	if !models.ValidEmail(f.Email) {
		errs["email"] = "Enter an e-mail address like name@example.com."
	}
	if f.Name == "" || len(f.Name) > 200 {
		errs["name"] = "Enter the person's name."
	}
	return errs
}

func (h *Handler) renderAccountUsers(c *fiber.Ctx, status int, f *inviteUserForm, errs models.FieldErrors) error {
	users, err := h.st.Users.ByAccount(c.UserContext(), currentUser(c).AccountID)
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/account/users", "User management",
		&accountUsersView{Users: users, Invite: f, PermChoices: choices(models.AllPermissions, f.Perms), Errors: errs})
}

// AccountInvite invites a user by e-mail with the chosen permissions.
func (h *Handler) AccountInvite(c *fiber.Ctx) error {
	f := &inviteUserForm{}
	errs := h.bindForm(c, f)
	me := currentUser(c)
	if errs == nil {
		errs = models.FieldErrors{}
		_, err := h.st.Users.Invite(c.UserContext(), h.actor(c), models.Invitation{Email: f.Email, Name: f.Name, AccountID: me.AccountID,
			Permissions: f.Perms}, h.opts.BaseURL, h.opts.PlanName)
		if errors.Is(err, models.ErrConflict) {
			errs["email"] = "This e-mail address already has a portal account."
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.renderAccountUsers(c, fiber.StatusUnprocessableEntity, f, errs)
	}
	h.flash(c, "success", "Invitation sent to "+f.Email+". The link works for 7 days.")
	return c.Redirect("/account/users", fiber.StatusSeeOther)
}

// AccountUser shows one user with their permissions and actions.
func (h *Handler) AccountUser(c *fiber.Ctx) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	reportAccess, err := h.st.Reports.MemberLevelAccess(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/account/user", u.Name, &accountUserView{U: u, AllPermissions: models.AllPermissions,
		Self: u.ID == currentUser(c).ID, ReportAccess: reportAccess})
}

// accountUserView is the data of pages/account/user: one user of the manager's account.
type accountUserView struct {
	View
	U              *models.User
	AllPermissions []string
	// Self is the manager's own page: no status buttons.
	Self         bool
	ReportAccess bool
}

// permissionsForm is the permissions ticked for a user.
type permissionsForm struct {
	Perms []string `form:"perm"`
}

// AccountUserPermissions sets a user's permissions.
func (h *Handler) AccountUserPermissions(c *fiber.Ctx) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	if u.IsManager {
		return fiber.NewError(fiber.StatusConflict, "The account manager holds every permission.")
	}
	var f permissionsForm
	if errs := h.bindForm(c, &f); errs != nil {
		return fiber.NewError(fiber.StatusUnprocessableEntity, errs["form"])
	}
	if err := h.st.Users.SetPermissions(c.UserContext(), h.actor(c), u, f.Perms); err != nil {
		return err
	}
	h.flash(c, "success", "Permissions of "+u.Name+" saved.")
	return c.Redirect("/account/users/"+itoa64(u.ID), fiber.StatusSeeOther)
}

// AccountUserStatus disables, enables or unlocks a user, resets their second factor
// (a lost phone) or sends their invitation again (action in the path).
func (h *Handler) AccountUserStatus(c *fiber.Ctx) error {
	if c.Params("action") == "report-access" {
		return h.AccountUserReportAccess(c)
	}
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		return fiber.NewError(fiber.StatusConflict, "You cannot change your own status. Hand over the account manager role first.")
	}
	return h.userAction(c, u, c.Params("action"), "/account/users/"+itoa64(u.ID))
}

// userAction applies one status action to u (an office user by their account manager,
// or anyone by a plan admin; the caller has checked who may), flashes what was done in
// words and returns to back. An action that does not apply to u now is a 409.
func (h *Handler) userAction(c *fiber.Ctx, u *models.User, action, back string) error {
	users := h.st.Users
	ctx := c.UserContext()
	var err error
	var msg string
	switch action {
	case "disable":
		err, msg = users.SetDisabled(ctx, h.actor(c), u, true), u.Name+" is disabled and signed out everywhere."
	case "enable":
		err, msg = users.SetDisabled(ctx, h.actor(c), u, false), u.Name+" is enabled."
	case "unlock":
		err, msg = users.Unlock(ctx, h.actor(c), u), u.Name+" is unlocked."
	case "reset-mfa":
		err, msg = users.ResetSecondFactor(ctx, h.actor(c), u), u.Name+"'s authenticator is cleared: they set up a new one at their next sign-in."
	case "resend":
		err, msg = users.ResendInvitation(ctx, h.actor(c), u, h.opts.BaseURL, h.opts.PlanName), "A new invitation link was sent to "+u.Email+"."
	default:
		return models.ErrNotFound
	}
	if errors.Is(err, models.ErrConflict) {
		return fiber.NewError(fiber.StatusConflict, "That does not apply to this user now (not locked, or not waiting for an invitation).")
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", msg)
	return c.Redirect(back, fiber.StatusSeeOther)
}

// AccountHandOver makes another active user of the account its account manager.
func (h *Handler) AccountHandOver(c *fiber.Ctx) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	me := currentUser(c)
	if u.ID == me.ID || u.Status != "active" {
		return fiber.NewError(fiber.StatusConflict, "Choose another active user of your account.")
	}
	var f handOverForm
	if errs := h.bindForm(c, &f); errs != nil || !strings.EqualFold(f.Confirm, "yes") {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "Tick the box to confirm the hand-over.")
	}
	if err := h.st.Users.HandOverManager(c.UserContext(), h.actor(c), me, u); err != nil {
		return err
	}
	h.flash(c, "success", u.Name+" is now the account manager. You keep your permissions.")
	return c.Redirect("/dashboard", fiber.StatusSeeOther)
}

// handOverForm is the hand-over's confirmation box.
type handOverForm struct {
	Confirm string `form:"confirm"`
}

// Choice is one checkbox of a set.
type Choice struct {
	Value   string
	Checked bool
}

// choices marks which of all are in chosen.
func choices(all, chosen []string) []Choice {
	out := make([]Choice, len(all))
	for i, v := range all {
		out[i] = Choice{Value: v, Checked: slices.Contains(chosen, v)}
	}
	return out
}
