package handlers

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

func init() {
	activityWords["assessment.start"] = "Started a health risk assessment"
	activityWords["assessment.save"] = "Saved a health risk assessment draft"
	activityWords["assessment.submit"] = "Submitted a health risk assessment"
	activityWords["assessment.discard"] = "Discarded a health risk assessment draft"
	activityWords["referral.submit"] = "Referred a member to care management"
	activityWords["referral.answered"] = "A case manager answered a care management referral"
	activityWords["care_plan.view"] = "Opened a care plan"
	activityWords["health_record.view"] = "Opened a member's health records"
	activityWords["care_document.download"] = "Downloaded a care coordination document"
	activityWords["assessment.view"] = "Opened a health risk assessment"
	activityWords["assessment.due_list"] = "Listed the members due for a health risk assessment"
	activityWords["health_record.download"] = "Downloaded a member's health records"
	activityWords["referral.attachment_download"] = "Downloaded a referral attachment"
	addActionCounter(hraDueCounter)
}

// clinicalID reads a positive integer route parameter; anything else is "not found".
func clinicalID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// author is who the signed-in user is when they complete an assessment.
func author(u *models.User) models.Author {
	name := u.Name
	if u.AccountName != "" {
		name += ", " + u.AccountName
	}
	return models.Author{UserID: u.ID, AccountID: u.AccountID, Name: name}
}

// memberAudit is an audit entry about the member of v.
func memberAudit(v *memberView) models.AuditEntry {
	return models.AuditEntry{MemberID: v.M.MemberID}
}

// assessmentsView is the data of pages/clinical/assessments.
type assessmentsView struct {
	View
	V         *memberView
	List      []*models.Assessment
	Draft     *models.Assessment
	Sections  []models.HRASection
	Questions int
	MMLine    *models.MedicalManagementContact
}

// assessmentShowView is the data of pages/clinical/assessment_show, for an office (V,
// the member record) or a case manager (Staff, the member).
type assessmentShowView struct {
	View
	V        *memberView
	Staff    *models.Eligibility
	A        *models.Assessment
	R        models.HRAResult
	Sections []models.HRASection
	Back     string
}

// AssessmentList is the Assessments section: the user's draft (to resume), earlier
// assessments with date, who completed them and the risk level, whether one is due,
// and the Medical Management Department's numbers.
func (h *Handler) AssessmentList(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "assessments")
	if done || err != nil {
		return err
	}
	return h.renderAssessmentList(c, v, fiber.StatusOK)
}

func (h *Handler) renderAssessmentList(c *fiber.Ctx, v *memberView, status int) error {
	ctx := c.UserContext()
	as := h.st.Assessments
	list, err := as.Submitted(ctx, v.M.PK)
	if err != nil {
		return err
	}
	draft, err := as.Draft(ctx, v.M.PK, currentUser(c).ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	data := &assessmentsView{V: v, List: list, Draft: draft, Sections: models.HRASections, Questions: models.HRAQuestionCount(),
		MMLine: models.MedicalContactFor(v.M.PlanType, v.M.Product)}
	return h.render(c, status, "pages/clinical/assessments", "Assessments · "+v.M.FirstName+" "+v.M.LastName, data)
}

// AssessmentStart opens the user's draft (creating it) and goes to the section to resume.
func (h *Handler) AssessmentStart(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "assessments")
	if done || err != nil {
		return err
	}
	d, err := h.st.Assessments.StartDraft(c.UserContext(), v.M.PK, author(currentUser(c)), h.auditBase(c, memberAudit(v)))
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/members/%s/assessments/draft/%d", v.M.MemberID, d.Section), fiber.StatusSeeOther)
}

// auditBase fills the actor of an entry written by a model inside its transaction.
func (h *Handler) auditBase(c *fiber.Ctx, e models.AuditEntry) models.AuditEntry {
	return h.actor(c).Stamp(e)
}

// sectionNumber reads :n, 1..HRASectionCount+1 (the last is the review page).
func sectionNumber(c *fiber.Ctx) (int, error) {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 || n > models.HRASectionCount+1 {
		return 0, models.ErrNotFound
	}
	return n, nil
}

// assessmentFormView is the data of pages/clinical/assessment_form: the member record
// around one section of the draft (or its review page).
type assessmentFormView struct {
	View
	V      *memberView
	H      *hraView
	Errors models.FieldErrors
}

// hraView is what a section or the review page shows.
type hraView struct {
	V        *memberView
	Draft    *models.Assessment
	N        int
	Section  *models.HRASection
	Sections []models.HRASection
	Answers  map[string]string // as shown (the draft, or what was just typed)
	Errors   models.FieldErrors
	Result   models.HRAResult
	// Questions is the number of questions of the assessment.
	Questions int
}

func (h *Handler) renderHRA(c *fiber.Ctx, status int, hv *hraView) error {
	hv.Sections, hv.Questions = models.HRASections, models.HRAQuestionCount()
	if hv.N <= models.HRASectionCount {
		hv.Section = &models.HRASections[hv.N-1]
	} else {
		hv.Result = models.ScoreHRA(hv.Draft.Answers)
	}
	title := "Health risk assessment · " + hv.V.M.FirstName + " " + hv.V.M.LastName
	return h.render(c, status, "pages/clinical/assessment_form", title, &assessmentFormView{V: hv.V, H: hv, Errors: hv.Errors})
}

// hraDraftPage is the gate of the draft's pages: the member record's access rule, then
// the user's open draft. Without one (never started, or submitted or discarded in
// another tab) it sends the user back to the Assessments page and reports done.
func (h *Handler) hraDraftPage(c *fiber.Ctx) (*memberView, *models.Assessment, bool, error) {
	v, done, err := h.memberAccess(c, "assessments")
	if done || err != nil {
		return nil, nil, done, err
	}
	d, err := h.st.Assessments.Draft(c.UserContext(), v.M.PK, currentUser(c).ID)
	if errors.Is(err, models.ErrNotFound) {
		h.flash(c, "info", "There is no open draft (it may have been submitted or discarded); start a new assessment.")
		return nil, nil, true, c.Redirect("/members/"+v.M.MemberID+"/assessments", fiber.StatusSeeOther)
	}
	return v, d, false, err
}

// AssessmentSection shows one section of the user's draft (or the review page).
func (h *Handler) AssessmentSection(c *fiber.Ctx) error {
	n, err := sectionNumber(c)
	if err != nil {
		return err
	}
	v, d, done, err := h.hraDraftPage(c)
	if done || err != nil {
		return err
	}
	return h.renderHRA(c, fiber.StatusOK, &hraView{V: v, Draft: d, N: n, Answers: d.Answers})
}

// AssessmentSave saves the section's answers to the draft and moves on (next, back, or
// stays with "Save draft"). Bad answers come back with messages and nothing is lost.
func (h *Handler) AssessmentSave(c *fiber.Ctx) error {
	n, err := sectionNumber(c)
	if err != nil || n > models.HRASectionCount {
		return models.ErrNotFound
	}
	v, d, done, err := h.hraDraftPage(c)
	if done || err != nil {
		return err
	}
	f := hraSectionForm{section: n}
	errs := h.bindForm(c, &f)
	typed := f.answers()
	next := n
	switch f.Go {
	case "next":
		next = n + 1
	case "back":
		if n > 1 {
			next = n - 1
		}
	}
	if errs == nil {
		err = h.st.Assessments.SaveSection(c.UserContext(), d, n, typed, next, h.auditBase(c, memberAudit(v)))
		if !asFieldErrors(err, &errs) && err != nil {
			return err
		}
	}
	if errs != nil {
		// What was typed shows over the saved draft, so nothing is lost.
		shown := map[string]string{}
		for k, val := range d.Answers {
			shown[k] = val
		}
		for k, val := range typed {
			shown[k] = val
		}
		return h.renderHRA(c, fiber.StatusUnprocessableEntity, &hraView{V: v, Draft: d, N: n, Answers: shown, Errors: errs})
	}
	if next == n {
		h.flash(c, "success", fmt.Sprintf("Draft saved at section %d. You can sign out and continue later.", n))
	}
	return c.Redirect(fmt.Sprintf("/members/%s/assessments/draft/%d", v.M.MemberID, next), fiber.StatusSeeOther)
}

// hraSectionForm is one section of the health risk assessment as posted: the answer of
// each question (by its key in models.HRASections; TestHRAFormCoversEveryQuestion keeps
// the two in step) and the button pressed. Only the section's own questions are read.
type hraSectionForm struct {
	Go string `form:"go"` // next, back, or anything else: save and stay

	GeneralHealth string `form:"general_health"`
	ERVisits      string `form:"er_visits"`
	HospitalStays string `form:"hospital_stays"`
	Pain          string `form:"pain"`
	Diabetes      string `form:"diabetes"`
	Heart         string `form:"heart"`
	Lung          string `form:"lung"`
	Kidney        string `form:"kidney"`
	Cancer        string `form:"cancer"`
	Hypertension  string `form:"hypertension"`
	MedCount      string `form:"med_count"`
	MedTrouble    string `form:"med_trouble"`
	ADLHelp       string `form:"adl_help"`
	IADLHelp      string `form:"iadl_help"`
	MobilityAid   string `form:"mobility_aid"`
	Falls         string `form:"falls"`
	FallInjury    string `form:"fall_injury"`
	FearFalling   string `form:"fear_falling"`
	PHQInterest   string `form:"phq_interest"`
	PHQDown       string `form:"phq_down"`
	Substance     string `form:"substance"`
	Food          string `form:"food"`
	Housing       string `form:"housing"`
	Transport     string `form:"transport"`
	Support       string `form:"support"`

	section int // the section posted, set before decoding
}

// answers are the section's answers by question key ("" for a question left blank).
func (f *hraSectionForm) answers() map[string]string {
	byKey := map[string]string{}
	v := reflect.ValueOf(f).Elem()
	for i := 0; i < v.NumField(); i++ {
		if key := v.Type().Field(i).Tag.Get("form"); key != "" {
			byKey[key] = v.Field(i).String()
		}
	}
	out := map[string]string{}
	if f.section >= 1 && f.section <= models.HRASectionCount {
		for _, q := range models.HRASections[f.section-1].Questions {
			out[q.Key] = byKey[q.Key]
		}
	}
	return out
}

// Validate refuses an answer the question does not offer (a blank one is allowed in a
// draft).
func (f *hraSectionForm) Validate() models.FieldErrors {
	return models.CheckHRASection(f.section, f.answers(), false)
}

// AssessmentSubmit scores and submits the user's draft. Unanswered questions are
// listed on the review page (422), each linking to its section.
func (h *Handler) AssessmentSubmit(c *fiber.Ctx) error {
	v, d, done, err := h.hraDraftPage(c)
	if done || err != nil {
		return err
	}
	_, err = h.st.Assessments.Submit(c.UserContext(), d, h.auditBase(c, memberAudit(v)))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderHRA(c, fiber.StatusUnprocessableEntity, &hraView{V: v, Draft: d, N: models.HRASectionCount + 1, Answers: d.Answers, Errors: fe})
	}
	if err != nil {
		return err
	}
	h.invalidateHRADue()
	// The risk level is shown on the page, never in the flash cookie (health information).
	h.flash(c, "success", "Assessment submitted. Its risk level is below.")
	return c.Redirect(fmt.Sprintf("/members/%s/assessments/%d", v.M.MemberID, d.ID), fiber.StatusSeeOther)
}

// AssessmentDiscard deletes the user's draft.
func (h *Handler) AssessmentDiscard(c *fiber.Ctx) error {
	v, d, done, err := h.hraDraftPage(c)
	if done || err != nil {
		return err
	}
	if err := h.st.Assessments.Discard(c.UserContext(), d, h.auditBase(c, memberAudit(v))); err != nil {
		return err
	}
	h.flash(c, "info", "The draft was discarded.")
	return c.Redirect("/members/"+v.M.MemberID+"/assessments", fiber.StatusSeeOther)
}

// AssessmentShow shows a submitted assessment with its answers and score; printable.
func (h *Handler) AssessmentShow(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "assessments")
	if done || err != nil {
		return err
	}
	id, err := clinicalID(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.st.Assessments.Get(c.UserContext(), v.M.PK, id)
	if err != nil {
		return err
	}
	if a.Status != "submitted" {
		return models.ErrNotFound
	}
	h.audit(c, models.AuditEntry{Action: "assessment.view", ObjectType: "assessment", ObjectID: fmt.Sprint(a.ID), MemberID: v.M.MemberID})
	return h.render(c, fiber.StatusOK, "pages/clinical/assessment_show", "Health risk assessment · "+v.M.FirstName+" "+v.M.LastName,
		&assessmentShowView{V: v, A: a, R: a.Result(), Sections: models.HRASections, Back: "/members/" + v.M.MemberID + "/assessments"})
}
