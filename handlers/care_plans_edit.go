package handlers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// formText reads a form field, trimmed and cut just past max runes (so "too long" is
// still reported, and nothing longer reaches SQL).
func formText(c *fiber.Ctx, k string, max int) string {
	s := strings.TrimSpace(c.FormValue(k))
	if r := []rune(s); len(r) > max+1 {
		s = string(r[:max+1])
	}
	return utils.CopyString(s)
}

// CarePlanCreate adds a care plan for the member (case managers).
func (h *Handler) CarePlanCreate(c *fiber.Ctx) error {
	e, err := h.careMember(c, "care plan create")
	if err != nil {
		return err
	}
	var in models.CarePlanInput
	if errs := h.bindForm(c, &in); errs != nil {
		return h.renderCareMember(c, fiber.StatusUnprocessableEntity, e, fiber.Map{"PlanForm": &in, "Errors": errs})
	}
	id, err := h.st.CarePlans.Create(c.UserContext(), e.PK, currentUser(c), in, h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderCareMember(c, fiber.StatusUnprocessableEntity, e, fiber.Map{"PlanForm": &in, "Errors": fe})
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Care plan created. Add its problems, goals and interventions.")
	return c.Redirect(fmt.Sprintf("/care/members/%s/care-plans/%d", e.MemberID, id), fiber.StatusSeeOther)
}

// carePlanFor loads the plan of a /care/members/:memberID/care-plans/:pid route.
func (h *Handler) carePlanFor(c *fiber.Ctx, what string) (*models.Eligibility, *models.CarePlan, error) {
	e, err := h.careMember(c, what)
	if err != nil {
		return nil, nil, err
	}
	id, err := clinicalID(c, "pid")
	if err != nil {
		return nil, nil, err
	}
	p, err := h.st.CarePlans.Get(c.UserContext(), e.PK, id)
	return e, p, err
}

// CarePlanEdit is a care plan for the case manager: its text and status, its items with
// their status, a form to add one, and the history.
func (h *Handler) CarePlanEdit(c *fiber.Ctx) error {
	e, p, err := h.carePlanFor(c, "care plan")
	if err != nil {
		return err
	}
	return h.renderCarePlanEdit(c, fiber.StatusOK, e, p, fiber.Map{})
}

func (h *Handler) renderCarePlanEdit(c *fiber.Ctx, status int, e *models.Eligibility, p *models.CarePlan, data fiber.Map) error {
	data["M"], data["Plan"] = e, p
	data["Problem"], data["Goal"], data["Intervention"] = models.ProblemStatuses, models.GoalStatuses, models.InterventionStatuses
	if data["Item"] == nil {
		data["Item"] = &models.CarePlanItemInput{Kind: "goal", Status: "not_started"}
	}
	return h.render(c, status, "pages/clinical/care_plan_edit", p.Title+" · "+e.FirstName+" "+e.LastName, data)
}

// CarePlanUpdate changes the plan's text and status.
func (h *Handler) CarePlanUpdate(c *fiber.Ctx) error {
	e, p, err := h.carePlanFor(c, "care plan update")
	if err != nil {
		return err
	}
	narrative := formText(c, "narrative", models.MaxPlanNarrative)
	err = h.st.CarePlans.Update(c.UserContext(), p, currentUser(c), narrative, formText(c, "status", 20), h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		p.Narrative = narrative
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, fiber.Map{"Errors": fe})
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Care plan saved.")
	return c.Redirect(fmt.Sprintf("/care/members/%s/care-plans/%d", e.MemberID, p.ID), fiber.StatusSeeOther)
}

// carePlanItemForm is the form that adds a problem, goal or intervention: each kind has
// its own status list, so the form carries one select per kind and the chosen kind's
// value is the status.
type carePlanItemForm struct {
	Kind               string `form:"item_kind" label:"the kind" validate:"maxrunes=20"`
	Text               string `form:"item_text" label:"the description" validate:"maxrunes=500"`
	TargetDate         string `form:"target_date" label:"the target date" validate:"maxrunes=10"`
	Owner              string `form:"owner" label:"the owner" validate:"maxrunes=100"`
	StatusProblem      string `form:"item_status_problem" validate:"maxrunes=20"`
	StatusGoal         string `form:"item_status_goal" validate:"maxrunes=20"`
	StatusIntervention string `form:"item_status_intervention" validate:"maxrunes=20"`
}

// input is the item the form describes.
func (f carePlanItemForm) input() models.CarePlanItemInput {
	status := map[string]string{"problem": f.StatusProblem, "goal": f.StatusGoal, "intervention": f.StatusIntervention}[f.Kind]
	return models.CarePlanItemInput{Kind: f.Kind, Text: f.Text, TargetDate: f.TargetDate, Owner: f.Owner, Status: status}
}

// CarePlanItemAdd adds a problem, goal or intervention.
func (h *Handler) CarePlanItemAdd(c *fiber.Ctx) error {
	e, p, err := h.carePlanFor(c, "care plan item")
	if err != nil {
		return err
	}
	var f carePlanItemForm
	errs := h.bindForm(c, &f)
	in := f.input()
	if errs != nil {
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, fiber.Map{"Item": &in, "Errors": errs})
	}
	err = h.st.CarePlans.AddItem(c.UserContext(), p, currentUser(c), in, h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, fiber.Map{"Item": &in, "Errors": fe})
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Added to the care plan.")
	return c.Redirect(fmt.Sprintf("/care/members/%s/care-plans/%d", e.MemberID, p.ID), fiber.StatusSeeOther)
}

// CarePlanItemStatus changes an item's status.
func (h *Handler) CarePlanItemStatus(c *fiber.Ctx) error {
	e, p, err := h.carePlanFor(c, "care plan item")
	if err != nil {
		return err
	}
	iid, err := clinicalID(c, "iid")
	if err != nil {
		return err
	}
	err = h.st.CarePlans.SetItemStatus(c.UserContext(), p, currentUser(c), iid, formText(c, "status", 20), h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, fiber.Map{"Errors": fe})
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Status changed.")
	return c.Redirect(fmt.Sprintf("/care/members/%s/care-plans/%d", e.MemberID, p.ID), fiber.StatusSeeOther)
}

// CareDocUpload adds a care coordination document to a D-SNP member (PDF or text,
// checked by content with messaging's upload rules).
func (h *Handler) CareDocUpload(c *fiber.Ctx) error {
	e, err := h.careMember(c, "care document upload")
	if err != nil {
		return err
	}
	if e.Product != "dsnp" {
		return models.ErrNotFound
	}
	in := models.CareDocInput{DocType: formText(c, "doc_type", 80), DocDate: formText(c, "doc_date", 10)}
	errs := models.FieldErrors{}
	files, problem := readMessageUploads(c)
	switch {
	case problem != "":
		errs["attachments"] = problem
	case len(files) > 1:
		errs["attachments"] = "Add one document at a time."
	case len(files) == 1:
		in.File = &files[0]
	}
	if len(errs) == 0 {
		err = h.st.CareDocuments.Add(c.UserContext(), &e.Member, currentUser(c), in, h.auditBase(c, models.AuditEntry{}))
		if err == nil {
			h.flash(c, "success", "Document added; offices caring for the member can download it.")
			return c.Redirect("/care/members/"+e.MemberID+"#documents", fiber.StatusSeeOther)
		}
		var fe models.FieldErrors
		if !errors.As(err, &fe) {
			return err
		}
		errs = fe
	}
	return h.renderCareMember(c, fiber.StatusUnprocessableEntity, e, fiber.Map{"Errors": errs, "DocType": in.DocType, "DocDate": in.DocDate})
}

// CareDocStaffDownload sends a care coordination document to a case manager.
func (h *Handler) CareDocStaffDownload(c *fiber.Ctx) error {
	e, err := h.careMember(c, "care document")
	if err != nil {
		return err
	}
	return h.sendCareDoc(c, e)
}

// AssessmentSettings shows which plan types require a health risk assessment (admins).
func (h *Handler) AssessmentSettings(c *fiber.Ctx) error {
	types, err := h.st.Assessments.RequiredPlanTypes(c.UserContext())
	if err != nil {
		return err
	}
	on := map[string]bool{}
	for _, t := range types {
		on[t] = true
	}
	return h.render(c, fiber.StatusOK, "pages/clinical/settings", "Assessment settings", fiber.Map{"PlanTypes": models.PlanTypes, "On": on})
}

// AssessmentSettingsSave changes the plan types that require assessments (audited).
func (h *Handler) AssessmentSettingsSave(c *fiber.Ctx) error {
	var types []string
	for _, p := range models.PlanTypes {
		if c.FormValue("pt_"+p.Value) == "1" {
			types = append(types, p.Value)
		}
	}
	if err := h.st.Assessments.SetRequiredPlanTypes(c.UserContext(), types, h.auditBase(c, models.AuditEntry{})); err != nil {
		return err
	}
	h.invalidateHRADue()
	h.flash(c, "success", "Assessment settings saved.")
	return c.Redirect("/care/settings", fiber.StatusSeeOther)
}
