package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// careQueuePageSize is the referrals per page of the case managers' queue.
const careQueuePageSize = 25

// CareQueue is the case managers' work: open referrals (urgent first, then oldest
// received), members whose yearly reassessment is due, and a member look-up.
func (h *Handler) CareQueue(c *fiber.Ctx) error {
	return h.renderCareQueue(c, fiber.StatusOK, "", "", nil)
}

func (h *Handler) renderCareQueue(c *fiber.Ctx, status int, memberID, dob string, errs models.FieldErrors) error {
	page, _ := strconv.Atoi(c.Query("page"))
	if page < 1 || page > 100000 {
		page = 1
	}
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
	return h.render(c, status, "pages/clinical/care_queue", "Care management", fiber.Map{
		"Referrals": list, "Total": total, "Page": page, "Prev": page - 1, "Next": page + 1, "HasNext": page*careQueuePageSize < total,
		"Due": due, "DueTotal": dueTotal, "MemberID": memberID, "DOB": dob, "Errors": errs})
}

// CareLookup finds a member by member ID and date of birth (POSTed, so neither reaches
// a log or the address bar) and opens the plan-side member view.
func (h *Handler) CareLookup(c *fiber.Ctx) error {
	id := strings.TrimSpace(utils.CopyString(c.FormValue("member_id")))
	dob := strings.TrimSpace(utils.CopyString(c.FormValue("dob")))
	if len(id) > 20 {
		id = id[:20]
	}
	if len(dob) > 10 {
		dob = dob[:10]
	}
	errs := models.FieldErrors{}
	if id == "" {
		errs["member_id"] = "Enter the member ID."
	}
	if _, err := time.Parse(models.DateFormat, dob); err != nil {
		errs["dob"] = "Enter the date of birth."
	}
	if len(errs) == 0 {
		e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), id)
		switch {
		case err == nil && e.DOB == dob:
			return c.Redirect("/care/members/"+e.MemberID, fiber.StatusSeeOther)
		case err == nil || errors.Is(err, models.ErrNotFound):
			errs["member_id"] = "No member has this member ID and date of birth."
		default:
			return err
		}
	}
	return h.renderCareQueue(c, fiber.StatusUnprocessableEntity, id, dob, errs)
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

// CareMember is the plan-side member view case managers work from: assessments, care
// plans (create and update), referrals from every office, health records and, for
// D-SNP members, care coordination documents (upload).
func (h *Handler) CareMember(c *fiber.Ctx) error {
	e, err := h.careMember(c, "overview")
	if err != nil {
		return err
	}
	return h.renderCareMember(c, fiber.StatusOK, e, fiber.Map{})
}

func (h *Handler) renderCareMember(c *fiber.Ctx, status int, e *models.Eligibility, data fiber.Map) error {
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
	data["M"], data["Assessments"], data["Plans"], data["Referrals"], data["Docs"] = e, list, plans, refs, docs
	data["DSNP"] = e.Product == "dsnp"
	data["Kinds"], data["DocTypes"], data["Tabs"] = models.CarePlanKinds, models.CareDocTypes, models.HealthTabs
	if data["PlanForm"] == nil {
		data["PlanForm"] = &models.CarePlanInput{Kind: "medical"}
	}
	if data["DocDate"] == nil {
		data["DocDate"] = h.db.Today()
	}
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
		fiber.Map{"Staff": e, "HP": hp, "Tabs": models.HealthTabs, "Base": base, "TabLabel": models.HealthTabLabel(hp.Tab)})
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
		fiber.Map{"Staff": e, "A": a, "R": a.Result(), "Sections": models.HRASections, "Back": "/care/members/" + e.MemberID})
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
	return h.render(c, status, "pages/clinical/care_referral", "Referral "+r.RefNo, fiber.Map{
		"R": r, "CaseManagers": cms, "Errors": errs, "Answer": answer, "Me": currentUser(c).ID})
}

// CareReferralDecide applies assign, accept, decline (with a reason) or close (with an
// outcome); the office sees the status, the case manager and the answer.
func (h *Handler) CareReferralDecide(c *fiber.Ctx) error {
	id, err := clinicalID(c, "rid")
	if err != nil {
		return err
	}
	action := utils.CopyString(c.FormValue("action"))
	answer := c.FormValue("answer")
	if len([]rune(answer)) > models.MaxAnswer+1 {
		answer = string([]rune(answer)[:models.MaxAnswer+1])
	}
	answer = utils.CopyString(answer)
	assignee, _ := strconv.ParseInt(c.FormValue("assignee"), 10, 64)
	u := currentUser(c)
	r, err := h.st.Referrals.Decide(c.UserContext(), id, u, action, assignee, answer, h.auditBase(c, models.AuditEntry{}))
	var fe models.FieldErrors
	switch {
	case errors.As(err, &fe):
		return h.renderCareReferral(c, fiber.StatusUnprocessableEntity, fe, answer)
	case errors.Is(err, models.ErrConflict):
		h.flash(c, "warning", "That referral changed meanwhile; here is where it stands now.")
		return c.Redirect(fmt.Sprintf("/care/referrals/%d", id), fiber.StatusSeeOther)
	case err != nil:
		return err
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
