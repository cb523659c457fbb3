package handlers

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// AccountDetails shows the account's information and TINs, with forms to update the
// contact details, add a TIN and verify a pending one.
func (h *Handler) AccountDetails(c *fiber.Ctx) error {
	return h.renderAccountDetails(c, fiber.StatusOK, &accountDetailsView{})
}

// accountDetailsView is the data of pages/account/details: the account, its TINs and
// requests, and whichever of its three forms was sent, as typed.
type accountDetailsView struct {
	View
	Account   *models.Account
	TINs      []models.TIN
	Requests  []models.TINRequest
	MaxChecks int
	// Info is the contact details form: as typed after an error, else as stored.
	Info   *models.AccountInfo
	NewTIN *models.NewTIN
	// CheckFor is the TIN request whose payment check was refused.
	CheckFor int64
	Errors   models.FieldErrors
}

func (h *Handler) renderAccountDetails(c *fiber.Ctx, status int, data *accountDetailsView) error {
	u := currentUser(c)
	ctx := c.UserContext()
	accounts := h.st.Accounts
	a, err := accounts.ByID(ctx, u.AccountID)
	if err != nil {
		return err
	}
	tins, err := accounts.TINs(ctx, u.AccountID)
	if err != nil {
		return err
	}
	reqs, err := accounts.TINRequests(ctx, u.AccountID)
	if err != nil {
		return err
	}
	data.Account, data.TINs, data.Requests, data.MaxChecks = a, tins, reqs, models.MaxTINChecks
	if data.Info == nil {
		data.Info = &models.AccountInfo{ContactName: a.ContactName, Phone: a.Phone, Address: a.Address}
	}
	return h.render(c, status, "pages/account/details", "Account details", data)
}

// AccountUpdate saves the account's contact details.
func (h *Handler) AccountUpdate(c *fiber.Ctx) error {
	info := &models.AccountInfo{}
	if errs := h.bindForm(c, info); errs != nil {
		return h.renderAccountDetails(c, fiber.StatusUnprocessableEntity, &accountDetailsView{Info: info, Errors: errs})
	}
	u := currentUser(c)
	if err := h.st.Accounts.UpdateInfo(c.UserContext(), h.actor(c), u.AccountID, info.ContactName, info.Phone, info.Address); err != nil {
		return err
	}
	h.flash(c, "success", "Account information updated.")
	return c.Redirect("/account", fiber.StatusSeeOther)
}

// AccountAddTIN asks for a TIN to be added; it stays pending until verified.
func (h *Handler) AccountAddTIN(c *fiber.Ctx) error {
	in := &models.NewTIN{}
	errs := h.bindForm(c, in)
	if errs == nil {
		errs = models.FieldErrors{}
		u := currentUser(c)
		err := h.st.Accounts.RequestTIN(c.UserContext(), h.actor(c), u.AccountID, in.Normalized, in.Name)
		switch {
		case errors.Is(err, models.ErrConflict):
			errs["tin"] = "This TIN is already on your account or waiting for verification."
		case errors.Is(err, models.ErrTINTaken):
			errs["tin"] = "This TIN belongs to another provider account on the portal. Call Provider Services if it should be yours."
		case err != nil:
			return err
		}
	}
	if len(errs) > 0 {
		return h.renderAccountDetails(c, fiber.StatusUnprocessableEntity, &accountDetailsView{NewTIN: in, Errors: errs})
	}
	h.flash(c, "success", "TIN "+models.FormatTIN(in.Normalized)+" added. It stays pending until you verify it with a recent payment or a plan admin approves it.")
	return c.Redirect("/account", fiber.StatusSeeOther)
}

// parseCents reads a dollar amount such as 1,234.56 or $12 into cents.
func parseCents(s string) (int64, bool) {
	s = strings.NewReplacer("$", "", ",", "", " ", "").Replace(strings.TrimSpace(s))
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" && !hasFrac {
		return 0, false
	}
	if len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || w > 1e10 {
		return 0, false
	}
	return w*100 + f, true
}

// tinCheckForm is a payment that proves a TIN is the account's, as typed: the check (or
// EFT trace) number and the amount.
type tinCheckForm struct {
	CheckNo string `form:"check_no"`
	Amount  string `form:"amount"`
	cents   int64
}

// Validate asks for a check number that fits and an amount in dollars and cents.
func (f *tinCheckForm) Validate() models.FieldErrors {
	var ok bool
	f.cents, ok = parseCents(f.Amount)
	if f.CheckNo == "" || !ok || runeLen(f.CheckNo) > 40 {
		return models.FieldErrors{"check": "Enter the check (or EFT trace) number, at most 40 characters, and the amount, like 1234.56."}
	}
	return nil
}

// tooManyTINChecks is the 429 answer of the TIN check: the user is signed in, so it
// speaks of the check, not of signing in.
var tooManyTINChecks = fiber.NewError(fiber.StatusTooManyRequests,
	"Too many check numbers were tried for this TIN in the last 10 minutes. Please wait 10 minutes and try again "+
		"with the check number and amount from a recent remittance, or call Provider Services to have a plan admin verify the TIN.")

// AccountVerifyTIN checks a recent payment's check number and amount against a pending TIN.
func (h *Handler) AccountVerifyTIN(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	// Ownership first: only then does the attempt count, and it counts for this account,
	// so one office can never keep another office's TIN check refused.
	u := currentUser(c)
	if _, err := h.st.Accounts.OwnedTINRequest(c.UserContext(), u.AccountID, id); err != nil {
		return err
	}
	if !h.limiter.Allow("tin-check:"+itoa64(u.AccountID)+":"+itoa64(id), 10, limitWindow) {
		return tooManyTINChecks
	}
	var f tinCheckForm
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderAccountDetails(c, fiber.StatusUnprocessableEntity, &accountDetailsView{CheckFor: id, Errors: errs})
	}
	matched, err := h.st.Accounts.VerifyTINByPayment(c.UserContext(), h.actor(c), u.AccountID, id, f.CheckNo, f.cents)
	if errors.Is(err, models.ErrForbidden) {
		return fiber.NewError(fiber.StatusForbidden, "Five check numbers that did not match were entered for this TIN, so it can no longer be verified by payment. "+
			"A plan admin will verify it instead: call Provider Services and say which TIN it is.")
	}
	if err != nil {
		return err
	}
	if !matched {
		return h.renderAccountDetails(c, fiber.StatusUnprocessableEntity, &accountDetailsView{CheckFor: id,
			Errors: models.FieldErrors{"check": "We found no payment to this TIN in the last 6 months with that check number and amount. " +
				"Check both on your remittance. A TIN the plan has never paid can only be verified by a plan admin."}})
	}
	h.flash(c, "success", "TIN verified. You can now choose it in the bar at the top.")
	return c.Redirect("/account", fiber.StatusSeeOther)
}
