package handlers

import (
	"errors"
	"path/filepath"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// paperlessKeyPath is paperless.key beside the database (and its master key file).
func (h *Handler) paperlessKeyPath() string {
	return filepath.Join(filepath.Dir(h.db.Path), "paperless.key")
}

// paperless is the Go Paperless store; the key is loaded only when bank details are
// written or read.
func (h *Handler) paperless() models.Paperless { return h.st.Paperless }

func (h *Handler) paperlessWithKey() (models.Paperless, error) {
	pk := &h.cache.paperlessKey
	pk.Lock()
	defer pk.Unlock()
	if pk.k == nil {
		k, err := models.PaperlessKey(h.paperlessKeyPath())
		if err != nil {
			return models.Paperless{}, err
		}
		pk.k = k
	}
	return models.Paperless{DB: h.db, Key: pk.k}, nil
}

// paperlessView is the Go Paperless form as shown again: choices only, never the
// bank numbers typed (they are not echoed back into the page).
type paperlessView struct {
	EFT, ERA, Correspondence bool
	AccountType              string
	Errors                   models.FieldErrors
}

// paperlessInput is the Go Paperless form as sent: ticked boxes carry "1".
type paperlessInput struct {
	EFT            string `form:"eft"`
	ERA            string `form:"era"`
	Correspondence string `form:"correspondence"`
	Routing        string `form:"routing"`
	Account        string `form:"account"`
	AccountType    string `form:"account_type"`
}

// model is the form the model checks and saves. Bank numbers longer than any can be
// are not looked at: they become a value the model refuses as not a number.
func (in *paperlessInput) model() models.PaperlessForm {
	f := models.PaperlessForm{EFT: in.EFT == "1", ERA: in.ERA == "1", Correspondence: in.Correspondence == "1",
		Routing: in.Routing, Account: in.Account, AccountType: in.AccountType}
	if len(f.Routing) > 40 || len(f.Account) > 40 {
		f.Routing, f.Account = "x", "x"
	}
	return f
}

// PaperlessSave enrols the account in EFT/ERA and paperless correspondence. Only the
// account manager may change where the plan pays; the bank details are encrypted
// before they reach the database and the change is audited.
func (h *Handler) PaperlessSave(c *fiber.Ctx) error {
	u := currentUser(c)
	var in paperlessInput
	fe := h.bindForm(c, &in)
	f := in.model()
	var err error
	if fe == nil {
		p, kerr := h.paperlessWithKey()
		if kerr != nil {
			return kerr
		}
		e := actorOf(c, u).Stamp(models.AuditEntry{})
		err = p.Save(c.UserContext(), u.AccountID, u.ID, f, e)
	}
	if fe != nil || errors.As(err, &fe) {
		data, derr := h.dashboardData(c, u)
		if derr != nil {
			return derr
		}
		data.PaperlessForm = &paperlessView{EFT: f.EFT, ERA: f.ERA, Correspondence: f.Correspondence, AccountType: f.AccountType, Errors: fe}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/dashboard/index", "Dashboard", data)
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Your Go Paperless choices were saved.")
	return c.Redirect("/dashboard#paperless", fiber.StatusSeeOther)
}
