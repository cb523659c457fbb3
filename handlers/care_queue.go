package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// careQueuePageSize is the referrals per page of the case managers' queue.
const careQueuePageSize = 25

// careQueueView is the data of pages/clinical/care_queue: one page of open referrals,
// the reassessments due and the member look-up as typed.
type careQueueView struct {
	View
	Referrals     []*models.Referral
	Total, Page   int
	Prev, Next    int
	HasNext       bool
	Due           []models.Reassessment
	DueTotal      int
	MemberID, DOB string
	Errors        models.FieldErrors
}

// CareQueue is the case managers' work: open referrals (urgent first, then oldest
// received), members whose yearly reassessment is due, and a member look-up.
func (h *Handler) CareQueue(c *fiber.Ctx) error {
	return h.renderCareQueue(c, fiber.StatusOK, h.readPage(c, 100000), &careQueueView{})
}

// renderCareQueue shows page of the queue around data (the look-up as typed).
func (h *Handler) renderCareQueue(c *fiber.Ctx, status, page int, data *careQueueView) error {
	ctx := c.UserContext()
	list, total, err := h.st.Referrals.Queue(ctx, careQueuePageSize, (page-1)*careQueuePageSize)
	if err != nil {
		return err
	}
	as := h.st.Assessments
	due, err := as.ReassessmentsDue(ctx, 25)
	if err != nil {
		return err
	}
	dueTotal, err := as.ReassessmentsDueCount(ctx)
	if err != nil {
		return err
	}
	data.Referrals, data.Total, data.Page, data.Prev, data.Next, data.HasNext = list, total, page, page-1, page+1, page*careQueuePageSize < total
	data.Due, data.DueTotal = due, dueTotal
	return h.render(c, status, "pages/clinical/care_queue", "Care management", data)
}

// careLookupForm is the care queue's member look-up, POSTed so that neither the member
// ID nor the date of birth reaches a log or the address bar.
type careLookupForm struct {
	MemberID string `form:"member_id" label:"the member ID" validate:"maxrunes=20"`
	DOB      string `form:"dob" label:"the date of birth"`
}

// Validate asks for both fields, the date of birth as a date (both messages at once).
func (f *careLookupForm) Validate() models.FieldErrors {
	errs := models.FieldErrors{}
	if f.MemberID == "" {
		errs["member_id"] = "Enter the member ID."
	}
	if _, err := time.Parse(models.DateFormat, f.DOB); err != nil {
		errs["dob"] = "Enter the date of birth."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// CareLookup finds a member by member ID and date of birth and opens the plan-side
// member view; a member ID and date of birth that do not match look like no member.
func (h *Handler) CareLookup(c *fiber.Ctx) error {
	var f careLookupForm
	errs := h.bindForm(c, &f)
	if errs == nil {
		e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), f.MemberID)
		switch {
		case err == nil && e.DOB == f.DOB:
			return c.Redirect("/care/members/"+e.MemberID, fiber.StatusSeeOther)
		case err == nil || errors.Is(err, models.ErrNotFound):
			errs = models.FieldErrors{"member_id": "No member has this member ID and date of birth."}
		default:
			return err
		}
	}
	return h.renderCareQueue(c, fiber.StatusUnprocessableEntity, 1, &careQueueView{MemberID: f.MemberID, DOB: f.DOB, Errors: errs})
}

// careMember loads the member of a /care/members/:memberID route and audits the view.
func (h *Handler) careMember(c *fiber.Ctx, what string) (*models.Eligibility, error) {
	e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), utils.CopyString(c.Params("memberID")))
	if err != nil {
		return nil, err
	}
	if err := h.careScope(c, e); err != nil {
		return nil, err
	}
	h.audit(c, models.AuditEntry{Action: "member.view", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID, Detail: "care " + what + emergencyDetail(c)})
	return e, nil
}

// careMemberView is the data of pages/clinical/care_member: the member's assessments,
// care plans, referrals and (D-SNP) documents, with the new-plan and upload forms as
// typed.
type careMemberView struct {
	View
	M           *models.Eligibility
	Assessments []*models.Assessment
	Plans       []*models.CarePlan
	Referrals   []*models.Referral
	Docs        []models.CareDocument
	DSNP        bool
	Kinds       []models.Choice
	DocTypes    []string
	Tabs        []models.Choice
	PlanForm    *models.CarePlanInput
	Errors      models.FieldErrors
	DocType     string
	DocDate     string
}

// newCareMemberView starts the member view with the new-plan form as typed (nil: an
// empty medical plan), the messages, and today as the document date.
func (h *Handler) newCareMemberView(plan *models.CarePlanInput, errs models.FieldErrors) *careMemberView {
	if plan == nil {
		plan = &models.CarePlanInput{Kind: "medical"}
	}
	return &careMemberView{PlanForm: plan, Errors: errs, DocDate: h.today()}
}

// CareMember is the plan-side member view case managers work from: assessments, care
// plans (create and update), referrals from every office, health records and, for
// D-SNP members, care coordination documents (upload).
func (h *Handler) CareMember(c *fiber.Ctx) error {
	e, err := h.careMember(c, "overview")
	if err != nil {
		return err
	}
	return h.renderCareMember(c, fiber.StatusOK, e, h.newCareMemberView(nil, nil))
}

func (h *Handler) renderCareMember(c *fiber.Ctx, status int, e *models.Eligibility, data *careMemberView) error {
	ctx := c.UserContext()
	as := h.st.Assessments
	st, err := as.Status(ctx, e.PK, e.PlanType)
	if err != nil {
		return err
	}
	e.HRA = st
	list, err := as.Submitted(ctx, e.PK)
	if err != nil {
		return err
	}
	plans, err := h.st.CarePlans.ForMember(ctx, e.PK)
	if err != nil {
		return err
	}
	refs, err := h.st.Referrals.ForMember(ctx, e.PK, 0)
	if err != nil {
		return err
	}
	var docs []models.CareDocument
	if e.Product == "dsnp" {
		if docs, err = h.st.CareDocuments.ForMember(ctx, e.PK); err != nil {
			return err
		}
	}
	data.M, data.Assessments, data.Plans, data.Referrals, data.Docs = e, list, plans, refs, docs
	data.DSNP = e.Product == "dsnp"
	data.Kinds, data.DocTypes, data.Tabs = models.CarePlanKinds, models.CareDocTypes, models.HealthTabs
	return h.render(c, status, "pages/clinical/care_member", "Care management · "+e.FirstName+" "+e.LastName, data)
}

// CareMemberHealth is a Health Records tab from the plan-side member view.
func (h *Handler) CareMemberHealth(c *fiber.Ctx) error {
	e, err := h.careMember(c, "health-records")
	if err != nil {
		return err
	}
	hp, err := h.healthTab(c, e.PK)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "health_record.view", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID,
		Detail: fmt.Sprintf("tab=%s page=%d", hp.Tab, hp.Page)})
	base := "/care/members/" + e.MemberID + "/health-records"
	return h.render(c, fiber.StatusOK, "pages/clinical/health_records", "Health Records · "+e.FirstName+" "+e.LastName,
		&healthRecordsView{Staff: e, HP: hp, Tabs: models.HealthTabs, Base: base, TabLabel: models.HealthTabLabel(hp.Tab)})
}

// CareAssessment shows a submitted assessment to a case manager.
func (h *Handler) CareAssessment(c *fiber.Ctx) error {
	e, err := h.careMember(c, "assessment")
	if err != nil {
		return err
	}
	id, err := clinicalID(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.st.Assessments.Get(c.UserContext(), e.PK, id)
	if err != nil || a.Status != "submitted" {
		return models.ErrNotFound
	}
	h.audit(c, models.AuditEntry{Action: "assessment.view", ObjectType: "assessment", ObjectID: fmt.Sprint(a.ID), MemberID: e.MemberID})
	return h.render(c, fiber.StatusOK, "pages/clinical/assessment_show", "Health risk assessment · "+e.FirstName+" "+e.LastName,
		&assessmentShowView{Staff: e, A: a, R: a.Result(), Sections: models.HRASections, Back: "/care/members/" + e.MemberID})
}

// careReferralView is the data of pages/clinical/care_referral: the referral, the case
// managers it may be assigned to, and the answer as typed.
type careReferralView struct {
	View
	R            *models.Referral
	CaseManagers []models.Choice
	Errors       models.FieldErrors
	Answer       string
	Me           int64
}

// CareReferral is one referral for a case manager, with the actions its status allows.
func (h *Handler) CareReferral(c *fiber.Ctx) error {
	return h.renderCareReferral(c, fiber.StatusOK, nil, "")
}

func (h *Handler) renderCareReferral(c *fiber.Ctx, status int, errs models.FieldErrors, answer string) error {
	id, err := clinicalID(c, "rid")
	if err != nil {
		return err
	}
	rs := h.st.Referrals
	r, err := rs.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	cms, err := rs.CaseManagers(c.UserContext())
	if err != nil {
		return err
	}
	if status == fiber.StatusOK {
		h.audit(c, models.AuditEntry{Action: "referral.view", ObjectType: "referral", ObjectID: r.RefNo, MemberID: r.MemberID})
	}
	return h.render(c, status, "pages/clinical/care_referral", "Referral "+r.RefNo, &careReferralView{
		R: r, CaseManagers: cms, Errors: errs, Answer: answer, Me: currentUser(c).ID})
}

// referralDecisionForm is a case manager's action on a referral. What each action
// needs (a case manager to assign, a reason to decline, the answer's length) is the
// model's rule (models.Referrals.Decide).
type referralDecisionForm struct {
	Action   string `form:"action" label:"the action"`
	Answer   string `form:"answer" label:"the answer"`
	Assignee string `form:"assignee" label:"the case manager"`
}

// assignee is the chosen case manager's user ID, 0 when none was chosen.
func (f referralDecisionForm) assignee() int64 {
	id, _ := strconv.ParseInt(f.Assignee, 10, 64)
	return id
}

// CareReferralDecide applies assign, accept, decline (with a reason) or close (with an
// outcome); the office sees the status, the case manager and the answer.
func (h *Handler) CareReferralDecide(c *fiber.Ctx) error {
	id, err := clinicalID(c, "rid")
	if err != nil {
		return err
	}
	var f referralDecisionForm
	errs := h.bindForm(c, &f)
	var r *models.Referral
	if errs == nil {
		r, err = h.st.Referrals.Decide(c.UserContext(), id, currentUser(c), f.Action, f.assignee(), f.Answer, h.auditBase(c, models.AuditEntry{}))
		switch {
		case asFieldErrors(err, &errs):
		case errors.Is(err, models.ErrConflict):
			h.flash(c, "warning", "That referral changed meanwhile; here is where it stands now.")
			return c.Redirect(fmt.Sprintf("/care/referrals/%d", id), fiber.StatusSeeOther)
		case err != nil:
			return err
		}
	}
	if errs != nil {
		return h.renderCareReferral(c, fiber.StatusUnprocessableEntity, errs, f.Answer)
	}
	h.flash(c, "success", "Referral "+r.RefNo+": "+r.StatusLabel()+".")
	return c.Redirect(fmt.Sprintf("/care/referrals/%d", id), fiber.StatusSeeOther)
}

// CareReferralAttachment downloads a referral's attachment for a case manager.
func (h *Handler) CareReferralAttachment(c *fiber.Ctx) error {
	rid, err := clinicalID(c, "rid")
	if err != nil {
		return err
	}
	r, err := h.st.Referrals.Get(c.UserContext(), rid)
	if err != nil {
		return err
	}
	return h.sendReferralAttachment(c, r)
}

// caseManagerQueues are a case manager's dashboard counts (SPEC §3): referrals waiting
// for a case manager, their own open referrals, urgent ones, and reassessments due.
// Other plan staff get none.
func (h *Handler) caseManagerQueues(c *fiber.Ctx, u *models.User) ([]ActionItem, error) {
	if !u.HasRole(models.RoleCaseManager) {
		return nil, nil
	}
	ctx := c.UserContext()
	q, err := h.st.Referrals.Counts(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	due, err := h.st.Assessments.ReassessmentsDueCount(ctx)
	if err != nil {
		return nil, err
	}
	return []ActionItem{
		{q.Urgent, "urgent referrals not yet accepted", "/care"},
		{q.Unassigned, "referrals waiting for a case manager", "/care"},
		{q.Mine, "referrals assigned to you", "/care"},
		{due, "members due for a yearly reassessment", "/care#ra-h"},
	}, nil
}
