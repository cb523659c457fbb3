package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// eligForm is the check form as typed, with its messages and the last outcome.
type eligForm struct {
	models.EligibilityForm
	Errors    models.FieldErrors
	ShowFirst bool
	Result    *models.EligibilityResult
	Message   string // for a not-found or ambiguous outcome
	OOB       bool   // render as an out-of-band swap (fresh form after a result)
}

// readEligForm takes "member ID or last name", first name and date of birth through the
// form pipeline (the rules are models.EligibilityForm's) and gives the look-up under
// planType.
func (h *Handler) readEligForm(c *fiber.Ctx, planType string) (*eligForm, models.EligibilityQuery) {
	f := &eligForm{}
	f.Today = h.db.Now()
	f.Errors = h.bindForm(c, &f.EligibilityForm)
	if msg := f.Errors["form"]; msg != "" {
		// A body that cannot be read at all is told next to the first field.
		f.Errors["q"] = msg
	}
	f.ShowFirst = f.First != ""
	return f, f.Query(planType)
}

// outcomeMessage is what the page says when no single member was found. It never
// tells whether the member exists under another plan type.
func outcomeMessage(outcome, planLabel string) string {
	switch outcome {
	case models.OutcomeNotFoundID:
		return "No member with that member ID and date of birth was found under " + planLabel +
			". Try the last name and date of birth instead, and check that the plan type selected above is the member's plan type."
	case models.OutcomeNotFoundName:
		return "No member with that last name and date of birth was found under " + planLabel +
			". Check the spelling (include a suffix such as Jr. if the ID card shows one), the date of birth, and that the plan type selected above is the member's plan type."
	case models.OutcomeNeedFirstName:
		return "More than one member has that last name and date of birth. Add the first name to find the right one."
	}
	return ""
}

// queryLabel is what the running list shows for a check that found nobody.
func queryLabel(f *eligForm, dob, planType string) string {
	label := f.Q
	if f.First != "" {
		label += ", " + f.First
	}
	if dob != "" {
		label += " · born " + formatDate(dob)
	}
	return label + " · " + models.PlanTypeLabel(planType)
}

// listEntry is a running-list entry with what it says when nobody was found.
type listEntry struct {
	E       models.CheckEntry
	Message string
}

// listMessage is the running list's message for a miss; the plan type checked is in
// the entry's label.
func listMessage(outcome string) string {
	switch outcome {
	case models.OutcomeNotFoundID:
		return "No member with that member ID and date of birth under this plan type. Try the last name and date of birth instead, and check the plan type."
	case models.OutcomeNotFoundName:
		return "No member with that last name and date of birth under this plan type. Check the spelling, the suffix (Jr.), the date of birth and the plan type."
	}
	return ""
}

// runCheck validates, matches and records one check: the running-list row and the
// audit entry ("eligibility.check", member ID only when found) commit together.
func (h *Handler) runCheck(c *fiber.Ctx, u *models.User, sess *models.Session, f *eligForm, q models.EligibilityQuery) (int64, error) {
	if len(f.Errors) > 0 {
		return 0, nil
	}
	if err := h.takeLookups(c, u, 1); err != nil {
		return 0, err
	}
	ms := h.st.Members
	r, err := ms.Check(c.UserContext(), q)
	if err != nil {
		return 0, err
	}
	f.Result = r
	f.Message = outcomeMessage(r.Outcome, models.PlanTypeLabel(q.PlanType))
	if r.Outcome == models.OutcomeNeedFirstName {
		f.ShowFirst = true
		f.Errors = models.FieldErrors{"first_name": "Add the member's first name."}
	}
	e := actorOf(c, u).Stamp(models.AuditEntry{})
	hash := sess.TokenHash
	if r.Outcome == models.OutcomeNeedFirstName {
		hash = "" // nothing to list yet
	}
	return ms.RecordCheck(c.UserContext(), hash, r, queryLabel(f, q.DOB, q.PlanType), e)
}

// EligibilityQuick is the dashboard's Quick Eligibility Check. HTMX swaps the card
// (form and result right below it); without JavaScript the dashboard is shown again
// with the result.
func (h *Handler) EligibilityQuick(c *fiber.Ctx) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	f, q := h.readEligForm(c, sess.PlanType)
	if _, err := h.runCheck(c, u, sess, f, q); err != nil {
		return err
	}
	status := fiber.StatusOK
	if len(f.Errors) > 0 && f.Result == nil {
		status = fiber.StatusUnprocessableEntity
	}
	if f.Result != nil && f.Result.Outcome == models.OutcomeFound {
		f.Q, f.First, f.DOB, f.ShowFirst = "", "", "", false
	}
	if isHTMX(c) {
		return h.renderFragment(c, status, "partials/members/quick_check", &dashboardView{Quick: f, PlanLabel: models.PlanTypeLabel(sess.PlanType)})
	}
	full, err := h.dashboardData(c, u)
	if err != nil {
		return err
	}
	full.Quick = f
	return h.render(c, status, "pages/dashboard/index", "Dashboard", full)
}

// EligibilityPage shows the Eligibility Check page with this session's running list.
func (h *Handler) EligibilityPage(c *fiber.Ctx) error {
	return h.renderEligibility(c, fiber.StatusOK, &eligForm{}, nil)
}

// eligibilityView is the data of the Eligibility Check page and of its form alone
// (partials/members/elig_form, swapped back with its messages).
type eligibilityView struct {
	View
	Form        *eligForm
	List        []listEntry
	PlanLabel   string
	Roster      *rosterResult
	RosterMaxKB int
}

// eligAddedView is the HTMX answer to a check that found someone
// (partials/members/elig_added): the new running-list entry and a fresh form.
type eligAddedView struct {
	View
	Entry   models.CheckEntry
	Message string
	Form    *eligForm
}

func (h *Handler) renderEligibility(c *fiber.Ctx, status int, f *eligForm, roster *rosterResult) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	entries, err := h.st.Members.RunningList(c.UserContext(), sess.TokenHash)
	if err != nil {
		return err
	}
	list := make([]listEntry, 0, len(entries))
	for _, e := range entries {
		list = append(list, listEntry{E: e, Message: listMessage(e.Outcome)})
	}
	return h.render(c, status, "pages/eligibility/index", "Eligibility Check", &eligibilityView{
		Form: f, List: list, PlanLabel: models.PlanTypeLabel(sess.PlanType), Roster: roster, RosterMaxKB: rosterMaxBytes >> 10,
	})
}

// EligibilityCheck checks one member and adds the result to the running list. HTMX
// prepends the new result to the list and resets the form; without JavaScript the page
// redirects to itself and shows the whole list.
func (h *Handler) EligibilityCheck(c *fiber.Ctx) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	f, q := h.readEligForm(c, sess.PlanType)
	id, err := h.runCheck(c, u, sess, f, q)
	if err != nil {
		return err
	}
	listed := id != 0
	if !listed {
		status := fiber.StatusUnprocessableEntity
		if f.Result != nil {
			status = fiber.StatusOK
		}
		if isHTMX(c) {
			c.Set("HX-Retarget", "#elig-form")
			c.Set("HX-Reswap", "outerHTML")
			return h.renderFragment(c, status, "partials/members/elig_form", &eligibilityView{Form: f})
		}
		return h.renderEligibility(c, status, f, nil)
	}
	if !isHTMX(c) {
		return c.Redirect("/eligibility", fiber.StatusSeeOther)
	}
	entry := models.CheckEntry{ID: id, Outcome: f.Result.Outcome, QueryLabel: queryLabel(f, q.DOB, sess.PlanType), CheckedAt: h.db.NowText(), Member: f.Result.Member}
	return h.renderFragment(c, fiber.StatusOK, "partials/members/elig_added", &eligAddedView{
		Entry: entry, Message: listMessage(entry.Outcome), Form: &eligForm{OOB: true},
	})
}

// EligibilityClear empties the running list.
func (h *Handler) EligibilityClear(c *fiber.Ctx) error {
	if err := h.st.Members.ClearRunningList(c.UserContext(), currentSession(c).TokenHash); err != nil {
		return err
	}
	h.flash(c, "info", "The list of checked members was cleared.")
	return c.Redirect("/eligibility", fiber.StatusSeeOther)
}
