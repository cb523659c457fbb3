package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// reviewQueueView is the data of pages/authorizations/queue: the filter as typed and, when it
// was valid, one page of the queue with its counts.
type reviewQueueView struct {
	View
	F            *models.QueueFilter
	Errors       models.FieldErrors
	PlanTypes    optionList
	Services     optionList
	Page         *models.AuthzPage
	Open         int
	OverdueCount int
	Prev, Next   int
	HasNext      bool
}

// AuthzQueue is the reviewer's queue: open requests ordered by due time, overdue ones
// marked, with filters; "waiting" lists the requests paused for the office's answer.
func (h *Handler) AuthzQueue(c *fiber.Ctx) error {
	u := currentUser(c)
	f := &models.QueueFilter{}
	data := &reviewQueueView{F: f, Errors: h.bindForm(c, f), PlanTypes: planTypeOptions, Services: serviceOptions("Any service type")}
	if len(data.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/queue", "Review queue", data)
	}
	now := h.now()
	page, open, overdue, err := h.authz().QueueWithCounts(c.UserContext(), f.Filter(u.ID), now)
	if err != nil {
		return err
	}
	data.Page, data.Open, data.OverdueCount = page, open, overdue
	data.Prev, data.Next, data.HasNext = page.Page-1, page.Page+1, page.Page < page.Pages
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

// reviewView is the data of pages/authorizations/review: the request, the plan's
// reasons by decision, and the decision form as typed.
type reviewView struct {
	View
	R             *models.AuthzRequest
	Errors        models.FieldErrors
	D             *models.Decision
	Reasons       map[string][]models.Reason
	Overdue       bool
	Required      []requiredAnswer
	Mine          bool
	ExtensionDays int
	// Appeal is the appeal outcome form as typed.
	Appeal models.AppealInput
}

func (h *Handler) reviewData(c *fiber.Ctx, r *models.AuthzRequest, errs models.FieldErrors, d *models.Decision) (*reviewView, error) {
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
	return &reviewView{R: r, Errors: errs, D: d, Reasons: reasons, Overdue: r.Overdue(h.now()), Required: req,
		Mine: r.AssigneeID == currentUser(c).ID, ExtensionDays: models.ExtensionDays}, nil
}

// renderReviewErrors answers a refused decision or appeal: the review page again, 422,
// with the messages and the decision or appeal as typed.
func (h *Handler) renderReviewErrors(c *fiber.Ctx, r *models.AuthzRequest, errs models.FieldErrors, d *models.Decision, appeal models.AppealInput) error {
	data, err := h.reviewData(c, r, errs, d)
	if err != nil {
		return err
	}
	data.Appeal = appeal
	return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/review", "Review "+r.TrackingNo, data)
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
	var f models.DecisionForm
	errs := h.bindForm(c, &f)
	d := f.Decision()
	if errs != nil {
		return h.renderReviewErrors(c, r, errs, &d, models.AppealInput{})
	}
	res, err := h.authz().Decide(c.UserContext(), currentUser(c), r.ID, d, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		return h.renderReviewErrors(c, r, fe, &d, models.AppealInput{})
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
	var in models.AppealInput
	err = errsOrNil(h.bindForm(c, &in))
	if err == nil {
		err = h.authz().RecordAppeal(c.UserContext(), currentUser(c), r.ID, in, h.now())
	}
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		return h.renderReviewErrors(c, r, fe, nil, in)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.appeal", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID, Detail: "outcome=" + in.Outcome})
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
