package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// patientSortCols are the sortable columns of the panel table.
var patientSortCols = []struct{ Key, Label string }{
	{"name", "Member"}, {"member_id", "Member ID"}, {"dob", "Date of birth"}, {"effective", "Effective"},
}

// patientsView is the data of pages/patients/index: one page of the panel, the query it
// answers (sort, direction, search) and the paging links.
type patientsView struct {
	View
	Page       *models.PatientPage
	Q          models.PatientQuery
	Search     string
	Cols       []struct{ Key, Label string }
	PlanLabel  string
	Prev, Next int
	HasNext    bool
}

// Patients lists the members attributed to the account's TINs under the selected plan
// type: paged with the total, sortable, and searchable by last-name prefix within the
// panel. Sorting and paging are GET links; a search is POSTed (it is member data) and
// carried by the page's buttons, never in the URL.
func (h *Handler) Patients(c *fiber.Ctx) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	var f models.PatientFilter
	// Nothing of the filter is refused (models.PatientFilter.Query), so a body that
	// cannot be read shows the panel as a plain visit would.
	_ = h.bindForm(c, &f)
	q := f.Query(u.AccountID, sess.PlanType, 25)
	if q.TINIDs, err = h.verifiedTINIDs(c, u); err != nil {
		return err
	}
	page, err := h.st.Members.Patients(c.UserContext(), q)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/patients/index", "Patients", &patientsView{
		Page: page, Q: q, Search: q.Search, Cols: patientSortCols, PlanLabel: models.PlanTypeLabel(sess.PlanType),
		Prev: page.Page - 1, Next: page.Page + 1, HasNext: page.Page < page.Pages,
	})
}
