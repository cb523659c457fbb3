package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// reportAccessForm is the grant ("1") or withdrawal of member-level reports.
type reportAccessForm struct {
	Grant string `form:"grant"`
}

// AccountUserReportAccess grants or withdraws a user's member-level provider reports
// (capitation roster, adds and terms). Only the account manager may, for users of
// their own account; the change is audited.
func (h *Handler) AccountUserReportAccess(c *fiber.Ctx) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	if u.IsManager {
		return fiber.NewError(fiber.StatusConflict, "The account manager holds every permission.")
	}
	var f reportAccessForm
	if errs := h.bindForm(c, &f); errs != nil {
		return fiber.NewError(fiber.StatusUnprocessableEntity, errs["form"])
	}
	grant := f.Grant == "1"
	if err := h.st.Reports.SetMemberLevelAccess(c.UserContext(), h.actor(c), u, grant); err != nil {
		return err
	}
	if grant {
		h.flash(c, "success", u.Name+" may now open member-level provider reports.")
	} else {
		h.flash(c, "success", u.Name+" no longer sees member-level provider reports.")
	}
	return c.Redirect("/account/users/"+itoa64(u.ID), fiber.StatusSeeOther)
}
