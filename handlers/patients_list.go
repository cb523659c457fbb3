package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// patientSortCols are the sortable columns of the panel table.
var patientSortCols = []struct{ Key, Label string }{
	{"name", "Member"}, {"member_id", "Member ID"}, {"dob", "Date of birth"}, {"effective", "Effective"},
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
	get := func(k string) string {
		if c.Method() == fiber.MethodPost {
			return utils.CopyString(c.FormValue(k))
		}
		return utils.CopyString(c.Query(k))
	}
	q := models.PatientQuery{AccountID: u.AccountID, PlanType: sess.PlanType, Sort: get("sort"), Desc: get("dir") == "desc", PerPage: 25}
	if !models.PatientSortValid(q.Sort) {
		q.Sort = "name"
	}
	q.Page, _ = strconv.Atoi(get("page"))
	if c.Method() == fiber.MethodPost {
		q.Search = strings.TrimSpace(c.FormValue("q"))
		q.Search = models.CutRunes(q.Search, 60)
	}
	page, err := h.st.Members.Patients(c.UserContext(), q)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/patients/index", "Patients", fiber.Map{
		"Page": page, "Q": q, "Search": q.Search, "Cols": patientSortCols, "PlanLabel": models.PlanTypeLabel(sess.PlanType),
		"Prev": page.Page - 1, "Next": page.Page + 1, "HasNext": page.Page < page.Pages,
	})
}
