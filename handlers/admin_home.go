package handlers

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// AdminHome is the plan admin's start page: search, pending TINs, locked users, staff.
func (h *Handler) AdminHome(c *fiber.Ctx) error {
	return h.renderAdminHome(c, fiber.StatusOK, &adminHomeView{})
}

// adminHomeView is the data of pages/admin/home: the search as typed and its result,
// and the queues a plan admin works through.
type adminHomeView struct {
	View
	Q             string
	Result        *models.SearchResult
	Requests      []models.TINRequest
	Locked        []*models.User
	SecurityFlags []models.SecurityFlag
	FailedMail    int
	Errors        models.FieldErrors
}

// adminSearchForm is the plan admin's search as typed: part of a name, an e-mail or a TIN.
type adminSearchForm struct {
	Q string `form:"q"`
}

// Validate asks for at least 2 characters, and no more than a search can use.
func (f *adminSearchForm) Validate() models.FieldErrors {
	if len(f.Q) < 2 {
		return models.FieldErrors{"q": "Enter at least 2 characters of a name, e-mail or TIN."}
	}
	if runeLen(f.Q) > models.MaxAdminSearchLen {
		return models.FieldErrors{"q": "Use at most 200 characters: part of a name, an e-mail address or a TIN."}
	}
	return nil
}

func (h *Handler) renderAdminHome(c *fiber.Ctx, status int, data *adminHomeView) error {
	ctx := c.UserContext()
	reqs, err := h.st.Accounts.PendingTINRequests(ctx, 100)
	if err != nil {
		return err
	}
	locked, err := h.st.Users.Locked(ctx, 100)
	if err != nil {
		return err
	}
	flags, err := h.st.SecurityFlags.Recent(ctx, 50)
	if err != nil {
		return err
	}
	data.Requests, data.Locked, data.SecurityFlags = reqs, locked, flags
	if data.FailedMail, err = h.st.Outbox.CountStatus(ctx, models.MailFailed); err != nil {
		return err
	}
	return h.render(c, status, "pages/admin/home", "Plan admin", data)
}

// AdminSearch finds accounts (by name or TIN) and users (by name or e-mail). It is a
// POST so that names and e-mails stay out of URLs and logs.
func (h *Handler) AdminSearch(c *fiber.Ctx) error {
	var f adminSearchForm
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderAdminHome(c, fiber.StatusUnprocessableEntity, &adminHomeView{Q: f.Q, Errors: errs})
	}
	res, err := h.st.Accounts.Search(c.UserContext(), f.Q)
	if err != nil {
		return err
	}
	return h.renderAdminHome(c, fiber.StatusOK, &adminHomeView{Q: f.Q, Result: res})
}

func paramID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// AdminAccount shows a provider account with its TINs and users.
func (h *Handler) AdminAccount(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	accounts := h.st.Accounts
	a, err := accounts.ByID(ctx, id)
	if err != nil {
		return err
	}
	tins, err := accounts.TINs(ctx, id)
	if err != nil {
		return err
	}
	reqs, err := accounts.TINRequests(ctx, id)
	if err != nil {
		return err
	}
	users, err := h.st.Users.ByAccount(ctx, id)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/admin/account", a.Name, &adminAccountView{Account: a, TINs: tins, Requests: reqs, Users: users})
}

// adminAccountView is the data of pages/admin/account: a provider account as the plan
// admin sees it.
type adminAccountView struct {
	View
	Account  *models.Account
	TINs     []models.TIN
	Requests []models.TINRequest
	Users    []*models.User
}

// AdminUser shows one user (office user or plan staff) with the admin's actions.
func (h *Handler) AdminUser(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	u, err := h.st.Users.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/admin/user", u.Name, &adminUserView{U: u, AllRoles: models.AllRoles, Departments: models.Departments,
		Self: u.ID == currentUser(c).ID})
}

// adminUserView is the data of pages/admin/user: one user with the admin's actions.
type adminUserView struct {
	View
	U           *models.User
	AllRoles    []string
	Departments []struct{ Value, Label string }
	// Self is the admin's own page: they cannot disable themselves.
	Self bool
}

// rolesForm is a plan staff member's roles and department as ticked.
type rolesForm struct {
	Roles      []string `form:"role"`
	Department string   `form:"department"`
}

// AdminUserAction unlocks, disables, enables a user or resets their second factor.
func (h *Handler) AdminUserAction(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	users := h.st.Users
	u, err := users.ByID(ctx, id)
	if err != nil {
		return err
	}
	action := c.Params("action")
	if u.ID == currentUser(c).ID && action != "unlock" {
		return fiber.NewError(fiber.StatusConflict, "Ask another plan admin to change your own account.")
	}
	return h.userAction(c, u, action, "/admin/users/"+itoa64(u.ID))
}

// AdminUserRoles sets a plan staff member's roles and department.
func (h *Handler) AdminUserRoles(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	users := h.st.Users
	u, err := users.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if !u.IsPlanStaff() {
		return models.ErrNotFound
	}
	var f rolesForm
	if errs := h.bindForm(c, &f); errs != nil {
		return fiber.NewError(fiber.StatusUnprocessableEntity, errs["form"])
	}
	if u.ID == currentUser(c).ID && !slices.Contains(f.Roles, models.RoleAdmin) {
		return fiber.NewError(fiber.StatusConflict, "You cannot take the admin role from yourself.")
	}
	if err := users.SetRoles(c.UserContext(), h.actor(c), u, f.Roles, validDepartment(f.Department)); err != nil {
		return err
	}
	h.flash(c, "success", "Roles of "+u.Name+" saved.")
	return c.Redirect("/admin/users/"+itoa64(u.ID), fiber.StatusSeeOther)
}

func validDepartment(d string) string {
	for _, x := range models.Departments {
		if x.Value == d {
			return d
		}
	}
	return ""
}

// AdminTINDecision approves or rejects a pending TIN request.
func (h *Handler) AdminTINDecision(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	approve := c.Params("action") == "approve"
	if !approve && c.Params("action") != "reject" {
		return models.ErrNotFound
	}
	r, err := h.st.Accounts.DecideTINRequest(c.UserContext(), h.actor(c), id, approve)
	if errors.Is(err, models.ErrConflict) {
		return fiber.NewError(fiber.StatusConflict, "That TIN request was already decided.")
	}
	if err != nil {
		return err
	}
	word := "rejected"
	if approve {
		word = "approved"
	}
	h.flash(c, "success", "TIN "+r.Display()+" of "+r.AccountName+" "+word+".")
	return c.Redirect("/admin", fiber.StatusSeeOther)
}

// AdminStaffNew shows the form to create plan staff.
func (h *Handler) AdminStaffNew(c *fiber.Ctx) error {
	return h.renderStaffNew(c, fiber.StatusOK, &staffForm{}, nil)
}

// staffView is the data of pages/admin/staff: the plan's staff and the form that
// invites one more, as typed.
type staffView struct {
	View
	Staff       []*models.User
	Departments []struct{ Value, Label string }
	PlanDomain  string
	F           *staffForm
	RoleChoices []Choice
	Errors      models.FieldErrors
}

// staffForm is a plan staff invitation as typed: who, their roles and department.
type staffForm struct {
	Email      string   `form:"email"`
	Name       string   `form:"name"`
	Roles      []string `form:"role"`
	Department string   `form:"department"`
	planDomain string
}

// Validate asks for an address on the plan's own domain, a name and at least one role;
// a department not on the list is none.
func (f *staffForm) Validate() models.FieldErrors {
	f.Department = validDepartment(f.Department)
	errs := models.FieldErrors{}
	if !models.ValidEmail(f.Email) || !strings.HasSuffix(strings.ToLower(f.Email), "@"+strings.ToLower(f.planDomain)) {
		errs["email"] = "Enter an e-mail address on the plan's domain, like name@" + f.planDomain + "."
	}
	if f.Name == "" || len(f.Name) > 200 {
		errs["name"] = "Enter the person's name."
	}
	if len(f.Roles) == 0 {
		errs["role"] = "Choose at least one role."
	}
	return errs
}

func (h *Handler) renderStaffNew(c *fiber.Ctx, status int, f *staffForm, errs models.FieldErrors) error {
	staff, err := h.st.Users.Staff(c.UserContext())
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/admin/staff", "Plan staff", &staffView{Staff: staff, Departments: models.Departments,
		PlanDomain: h.opts.PlanDomain, F: f, RoleChoices: choices(models.AllRoles, f.Roles), Errors: errs})
}

// AdminStaffCreate invites a plan staff member with roles and a department.
func (h *Handler) AdminStaffCreate(c *fiber.Ctx) error {
	f := &staffForm{planDomain: h.opts.PlanDomain}
	errs := h.bindForm(c, f)
	if errs == nil {
		errs = models.FieldErrors{}
		_, err := h.st.Users.Invite(c.UserContext(), h.actor(c), models.Invitation{Email: f.Email, Name: f.Name, Roles: f.Roles, Department: f.Department},
			h.opts.BaseURL, h.opts.PlanName)
		if errors.Is(err, models.ErrConflict) {
			errs["email"] = "This e-mail address already has a portal account."
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return h.renderStaffNew(c, fiber.StatusUnprocessableEntity, f, errs)
	}
	h.flash(c, "success", "Invitation sent to "+f.Email+".")
	return c.Redirect("/admin/staff", fiber.StatusSeeOther)
}
