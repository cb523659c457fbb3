package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// queueFilter is the reviewer queue's filter (plan type, service type, urgency, mine,
// waiting): none of it is health information, so it travels in the query string.
type queueFilter struct {
	PlanType, Service, Urgency string
	Mine, Waiting              bool
	Page                       int
}

// Query is the filter as a query string (for paging links).
func (f queueFilter) Query() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("plan_type", f.PlanType)
	add("service_type", f.Service)
	add("urgency", f.Urgency)
	if f.Mine {
		add("mine", "1")
	}
	if f.Waiting {
		add("waiting", "1")
	}
	return strings.Join(parts, "&")
}

// AuthzQueue is the reviewer's queue: open requests ordered by due time, overdue ones
// marked, with filters; "waiting" lists the requests paused for the office's answer.
func (h *Handler) AuthzQueue(c *fiber.Ctx) error {
	u := currentUser(c)
	f := queueFilter{PlanType: c.Query("plan_type"), Service: c.Query("service_type"), Urgency: c.Query("urgency"),
		Mine: c.Query("mine") == "1", Waiting: c.Query("waiting") == "1"}
	f.Page, _ = strconv.Atoi(c.Query("page"))
	if f.Page < 1 || f.Page > 100000 {
		f.Page = 1
	}
	errs := models.FieldErrors{}
	if f.PlanType != "" && !models.ValidPlanType(f.PlanType) {
		errs["q-plan"] = "Choose a plan type from the list."
	}
	if f.Service != "" && models.ServiceTypeLabel(f.Service) == "" {
		errs["q-service"] = "Choose a service type from the list."
	}
	if f.Urgency != "" && f.Urgency != models.UrgencyUrgent && f.Urgency != models.UrgencyStandard {
		errs["q-urgency"] = "Choose urgent or standard."
	}
	data := fiber.Map{"F": f, "Errors": errs, "PlanTypes": models.PlanTypes, "Services": serviceOptions("Any service type")}
	if len(errs) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/queue", "Review queue", data)
	}
	q := models.QueueQuery{PlanType: f.PlanType, ServiceType: f.Service, Urgency: f.Urgency, Waiting: f.Waiting, Page: f.Page}
	if f.Mine {
		q.Mine = u.ID
	}
	now := h.now()
	page, err := h.authz().Queue(c.UserContext(), q, now)
	if err != nil {
		return err
	}
	open, overdue, err := h.authz().QueueCounts(c.UserContext(), now)
	if err != nil {
		return err
	}
	data["Page"], data["Open"], data["OverdueCount"] = page, open, overdue
	data["Prev"], data["Next"], data["HasNext"] = page.Page-1, page.Page+1, page.Page < page.Pages
	h.audit(c, models.AuditEntry{Action: "authorization.queue.view", ObjectType: "authorization", Detail: "filter=" + f.Query()})
	return h.render(c, fiber.StatusOK, "pages/authorizations/queue", "Review queue", data)
}

// reviewRequest loads the request named by :no for a reviewer.
func (h *Handler) reviewRequest(c *fiber.Ctx) (*models.AuthzRequest, error) {
	no := strings.ToUpper(strings.TrimSpace(utils.CopyString(c.Params("no"))))
	if !models.ValidTrackingNo(no) {
		return nil, models.ErrNotFound
	}
	r, err := h.authz().ByTracking(c.UserContext(), no)
	if err != nil {
		return nil, err
	}
	return h.authz().ReviewRequest(c.UserContext(), currentUser(c), r.ID)
}

func (h *Handler) reviewData(c *fiber.Ctx, r *models.AuthzRequest, errs models.FieldErrors, d *models.Decision) (fiber.Map, error) {
	ctx := c.UserContext()
	reasons := map[string][]models.Reason{}
	for _, k := range []string{models.ActApprove, models.ActPartial, models.ActDeny, models.ActMoreInfo, models.ActExtend} {
		list, err := h.authz().Reasons(ctx, k)
		if err != nil {
			return nil, err
		}
		reasons[k] = list
	}
	req, err := h.requiredAnswers(c, r)
	if err != nil {
		return nil, err
	}
	if d == nil {
		d = &models.Decision{}
	}
	return fiber.Map{"R": r, "Errors": errs, "D": d, "Reasons": reasons, "Overdue": r.Overdue(h.now()), "Required": req,
		"Mine": r.AssigneeID == currentUser(c).ID, "ExtensionDays": models.ExtensionDays}, nil
}

// AuthzReviewShow is the reviewer's page of a request: everything the office sent, the
// Smart Sheet criteria met, the history, and the decision form.
func (h *Handler) AuthzReviewShow(c *fiber.Ctx) error {
	r, err := h.reviewRequest(c)
	if err != nil {
		return err
	}
	data, err := h.reviewData(c, r, nil, nil)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.review.view", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID})
	return h.render(c, fiber.StatusOK, "pages/authorizations/review", "Review "+r.TrackingNo, data)
}

// AuthzAssign takes a request for review ("assign to me").
func (h *Handler) AuthzAssign(c *fiber.Ctx) error {
	r, err := h.reviewRequest(c)
	if err != nil {
		return err
	}
	if err := h.authz().Assign(c.UserContext(), currentUser(c), r.ID, h.now()); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.assign", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID})
	h.flash(c, "success", "Request "+r.TrackingNo+" is assigned to you.")
	return c.Redirect("/authorizations/review/"+r.TrackingNo, fiber.StatusSeeOther)
}

// AuthzDecide records a decision: approve, partial (units per line), deny, more
// information (the clock pauses) or extend — always with a reason from the list.
func (h *Handler) AuthzDecide(c *fiber.Ctx) error {
	r, err := h.reviewRequest(c)
	if err != nil {
		return err
	}
	d := models.Decision{Action: utils.CopyString(c.FormValue("action")), Note: utils.CopyString(c.FormValue("note")), ApprovedUnits: map[int]int{}}
	if len(d.Action) > 20 {
		d.Action = ""
	}
	d.ReasonID, _ = strconv.ParseInt(c.FormValue("reason_"+d.Action), 10, 64)
	if d.ReasonID == 0 {
		d.ReasonID, _ = strconv.ParseInt(c.FormValue("reason"), 10, 64)
	}
	for _, l := range r.Lines {
		if v := strings.TrimSpace(c.FormValue("approved-" + strconv.Itoa(l.LineNo))); v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				d.ApprovedUnits[l.LineNo] = n
			} else {
				d.ApprovedUnits[l.LineNo] = -1
			}
		}
	}
	res, err := h.authz().Decide(c.UserContext(), currentUser(c), r.ID, d, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		data, derr := h.reviewData(c, r, fe, &d)
		if derr != nil {
			return derr
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/review", "Review "+r.TrackingNo, data)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.decide", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID,
		Detail: "action=" + d.Action + " reason=" + strconv.FormatInt(d.ReasonID, 10)})
	msg := map[string]string{models.ActApprove: "approved", models.ActPartial: "partially approved", models.ActDeny: "denied",
		models.ActMoreInfo: "paused: more information was requested from the office", models.ActExtend: "extended; the new due time is " + res.DueLocal}[d.Action]
	h.flash(c, "success", "Request "+r.TrackingNo+" "+msg+". The office was notified by secure message.")
	return c.Redirect("/authorizations/review/"+r.TrackingNo, fiber.StatusSeeOther)
}

// AuthzAppeal records the outcome of an appeal of a denial.
func (h *Handler) AuthzAppeal(c *fiber.Ctx) error {
	r, err := h.reviewRequest(c)
	if err != nil {
		return err
	}
	outcome := c.FormValue("outcome")
	if outcome != "overturned" && outcome != "upheld" {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "Choose whether the appeal overturned or upheld the denial.")
	}
	err = h.authz().RecordAppeal(c.UserContext(), currentUser(c), r.ID, outcome == "overturned", utils.CopyString(c.FormValue("appeal_note")), h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		data, derr := h.reviewData(c, r, fe, nil)
		if derr != nil {
			return derr
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/review", "Review "+r.TrackingNo, data)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.appeal", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID, Detail: "outcome=" + outcome})
	h.flash(c, "success", "The appeal outcome of "+r.TrackingNo+" is recorded.")
	return c.Redirect("/authorizations/review/"+r.TrackingNo, fiber.StatusSeeOther)
}

// AuthzReviewFile downloads an attachment for the reviewer.
func (h *Handler) AuthzReviewFile(c *fiber.Ctx) error {
	r, err := h.reviewRequest(c)
	if err != nil {
		return err
	}
	return h.sendAuthzFile(c, r)
}

// AuthzReviewLetter is the decision letter, for the reviewer.
func (h *Handler) AuthzReviewLetter(c *fiber.Ctx) error {
	r, err := h.reviewRequest(c)
	if err != nil {
		return err
	}
	return h.renderLetter(c, r)
}
