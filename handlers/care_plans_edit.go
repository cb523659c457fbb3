package handlers

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// CarePlanCreate adds a care plan for the member (case managers).
func (h *Handler) CarePlanCreate(c *fiber.Ctx) error {
	e, err := h.careMember(c, "care plan create")
	if err != nil {
		return err
	}
	var in models.CarePlanInput
	if errs := h.bindForm(c, &in); errs != nil {
		return h.renderCareMember(c, fiber.StatusUnprocessableEntity, e, h.newCareMemberView(&in, errs))
	}
	id, err := h.st.CarePlans.Create(c.UserContext(), e.PK, currentUser(c), in, h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderCareMember(c, fiber.StatusUnprocessableEntity, e, h.newCareMemberView(&in, fe))
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

// carePlanEditView is the data of pages/clinical/care_plan_edit: the plan with the
// forms that change it, the new item as typed and the messages of the last post.
type carePlanEditView struct {
	View
	M                           *models.Eligibility
	Plan                        *models.CarePlan
	Problem, Goal, Intervention []models.Choice
	Item                        *models.CarePlanItemInput
	Errors                      models.FieldErrors
}

// CarePlanEdit is a care plan for the case manager: its text and status, its items with
// their status, a form to add one, and the history.
func (h *Handler) CarePlanEdit(c *fiber.Ctx) error {
	e, p, err := h.carePlanFor(c, "care plan")
	if err != nil {
		return err
	}
	return h.renderCarePlanEdit(c, fiber.StatusOK, e, p, nil, nil)
}

// renderCarePlanEdit shows the plan; item is the new item as typed (nil: an empty goal).
func (h *Handler) renderCarePlanEdit(c *fiber.Ctx, status int, e *models.Eligibility, p *models.CarePlan, item *models.CarePlanItemInput, errs models.FieldErrors) error {
	if item == nil {
		item = &models.CarePlanItemInput{Kind: "goal", Status: "not_started"}
	}
	data := &carePlanEditView{M: e, Plan: p, Problem: models.ProblemStatuses, Goal: models.GoalStatuses, Intervention: models.InterventionStatuses,
		Item: item, Errors: errs}
	return h.render(c, status, "pages/clinical/care_plan_edit", p.Title+" · "+e.FirstName+" "+e.LastName, data)
}

// carePlanForm is the form that changes a plan's text and status; the rules (length,
// active or closed) are the model's (models.CarePlans.Update).
type carePlanForm struct {
	Narrative string `form:"narrative" label:"the plan text"`
	Status    string `form:"status" label:"the status"`
}

// CarePlanUpdate changes the plan's text and status.
func (h *Handler) CarePlanUpdate(c *fiber.Ctx) error {
	e, p, err := h.carePlanFor(c, "care plan update")
	if err != nil {
		return err
	}
	var f carePlanForm
	errs := h.bindForm(c, &f)
	if errs == nil {
		err = h.st.CarePlans.Update(c.UserContext(), p, currentUser(c), f.Narrative, f.Status, h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
		if !asFieldErrors(err, &errs) && err != nil {
			return err
		}
	}
	if errs != nil {
		p.Narrative = f.Narrative
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, nil, errs)
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
	if errs == nil {
		err = h.st.CarePlans.AddItem(c.UserContext(), p, currentUser(c), in, h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
		if !asFieldErrors(err, &errs) && err != nil {
			return err
		}
	}
	if errs != nil {
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, &in, errs)
	}
	h.flash(c, "success", "Added to the care plan.")
	return c.Redirect(fmt.Sprintf("/care/members/%s/care-plans/%d", e.MemberID, p.ID), fiber.StatusSeeOther)
}

// itemStatusForm is the form of partials/clinical/item_status; which statuses an item
// may take is the model's rule (models.CarePlans.SetItemStatus).
type itemStatusForm struct {
	Status string `form:"status" label:"the status"`
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
	var f itemStatusForm
	errs := h.bindForm(c, &f)
	if errs == nil {
		err = h.st.CarePlans.SetItemStatus(c.UserContext(), p, currentUser(c), iid, f.Status, h.auditBase(c, models.AuditEntry{MemberID: e.MemberID}))
		if !asFieldErrors(err, &errs) && err != nil {
			return err
		}
	}
	if errs != nil {
		return h.renderCarePlanEdit(c, fiber.StatusUnprocessableEntity, e, p, nil, errs)
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
	var in models.CareDocInput
	errs := h.bindForm(c, &in)
	if errs == nil {
		errs = models.FieldErrors{}
	}
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
		if !asFieldErrors(err, &errs) {
			return err
		}
	}
	data := h.newCareMemberView(nil, errs)
	data.DocType, data.DocDate = in.DocType, in.DocDate
	return h.renderCareMember(c, fiber.StatusUnprocessableEntity, e, data)
}

// CareDocStaffDownload sends a care coordination document to a case manager.
func (h *Handler) CareDocStaffDownload(c *fiber.Ctx) error {
	e, err := h.careMember(c, "care document")
	if err != nil {
		return err
	}
	return h.sendCareDoc(c, e)
}

// settingsView is the data of pages/clinical/settings: the plan types and which of them
// require an assessment.
type settingsView struct {
	View
	PlanTypes []models.PlanType
	On        map[string]bool
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
	return h.render(c, fiber.StatusOK, "pages/clinical/settings", "Assessment settings", &settingsView{PlanTypes: models.PlanTypes, On: on})
}

// assessmentSettingsForm is the settings page's checkboxes, one per plan type (pt_ and
// the plan type's value; TestAssessmentSettingsCoverEveryPlanType keeps them in step
// with models.PlanTypes). A box is checked when it posts "1".
type assessmentSettingsForm struct {
	Commercial string `form:"pt_commercial"`
	Medicare   string `form:"pt_medicare"`
	MediCal    string `form:"pt_medical"`
}

// planTypes are the plan types checked, in the order of models.PlanTypes.
func (f assessmentSettingsForm) planTypes() []string {
	checked := map[string]bool{models.PlanCommercial: f.Commercial == "1", models.PlanMedicare: f.Medicare == "1", models.PlanMediCal: f.MediCal == "1"}
	var out []string
	for _, p := range models.PlanTypes {
		if checked[p.Value] {
			out = append(out, p.Value)
		}
	}
	return out
}

// AssessmentSettingsSave changes the plan types that require assessments (audited).
func (h *Handler) AssessmentSettingsSave(c *fiber.Ctx) error {
	var f assessmentSettingsForm
	if errs := h.bindForm(c, &f); errs != nil {
		return models.ErrInvalid
	}
	if err := h.st.Assessments.SetRequiredPlanTypes(c.UserContext(), f.planTypes(), h.auditBase(c, models.AuditEntry{})); err != nil {
		return err
	}
	h.invalidateHRADue()
	h.flash(c, "success", "Assessment settings saved.")
	return c.Redirect("/care/settings", fiber.StatusSeeOther)
}
