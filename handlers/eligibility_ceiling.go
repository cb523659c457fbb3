package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// takeLookups counts n eligibility look-ups by u against the per-user ceilings. At
// the ceiling the look-up is refused with a clear 429 and plan admins get a security
// flag on /admin (once per window): harvesting member data must be noticed.
func (h *Handler) takeLookups(c *fiber.Ctx, u *models.User, n int) error {
	now := h.db.Now()
	ceil := h.lookups.Take(u.ID, n, now, h.lookupCeilings)
	if ceil == nil {
		return nil
	}
	detail := fmt.Sprintf("reached the ceiling of %d eligibility look-ups %s", ceil.Max, ceil.Label)
	if _, err := h.st.SecurityFlags.Raise(c.UserContext(), models.FlagLookupCeiling, u, c.IP(), detail, now.Add(-ceil.Window)); err != nil {
		return err
	}
	h.log.Warn("eligibility look-up ceiling reached", "user_id", u.ID, "ceiling", ceil.Max, "window", ceil.Label)
	what := "this look-up"
	if n > 1 {
		what = fmt.Sprintf("the %d look-ups of this roster", n)
	}
	return fiber.NewError(fiber.StatusTooManyRequests, fmt.Sprintf(
		"The portal did not run %s: one user may make at most %d eligibility look-ups %s, and you have reached that ceiling. "+
			"It protects members' health information and lies far above an office's daily work, so a plan admin has been told. "+
			"Look-ups work again as older ones drop out of the count; if your office needs more, call Provider Services.", what, ceil.Max, ceil.Label))
}
