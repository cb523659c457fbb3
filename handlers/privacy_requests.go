package handlers

import (
	"context"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

func init() {
	activityWords["privacy.request.create"] = "Recorded a confidential communication request"
	activityWords["privacy.request.amend"] = "Amended a confidential communication request"
	activityWords["privacy.request.complete"] = "Completed a confidential communication request"
	activityWords["privacy.request.end"] = "Ended a confidential communication request"
	activityWords["privacy.request.view"] = "Opened a confidential communication request"
	activityWords["privacy.category.correct"] = "Corrected a sensitive-service category"
	activityWords["privacy.review"] = "Reviewed a corrected category"
	activityWords["privacy.eob"] = "Opened a member's explanation of benefits"
	addStaffQueue(models.RolePrivacy, privacyQueues)
}

// privacyQueues are the privacy officer's counts on the plan staff dashboard: requests
// overdue (alert), requests due, corrections to review.
func privacyQueues(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
	ps := h.st.Privacy
	due, overdue, err := ps.QueueCounts(c.UserContext())
	if err != nil {
		return nil, err
	}
	_, open, err := ps.OpenCorrections(c.UserContext())
	if err != nil {
		return nil, err
	}
	return []StaffQueue{
		{Count: overdue, Text: "confidential communication requests overdue", Href: "/privacy/requests?view=overdue", Alert: overdue > 0},
		{Count: due, Text: "confidential communication requests due", Href: "/privacy/requests"},
		{Count: open, Text: "corrected categories to review", Href: "/privacy/review"},
	}, nil
}

// queueView is one tab of the request queue.
type queueView struct{ Key, Label string }

var queueViews = []queueView{
	{models.QueueDue, "Due"}, {models.QueueOverdue, "Overdue"}, {models.QueueCompleted, "Completed"}, {models.QueueEnded, "Ended"},
}

// requestsView is the data of pages/privacy/requests: one view of the queue with its
// counts, and the new-request form as typed.
type requestsView struct {
	View
	Q            *models.RequestPage
	Current      string // the queue view shown (the template cannot call it View: that is the frame)
	Views        []queueView
	Due, Overdue int
	Today        string
	Form         *models.RequestInput
	Errors       models.FieldErrors
}

// requestsQuery is the queue's tab and page, from links.
type requestsQuery struct {
	View string `query:"view" form:"-"`
	pageForm
}

// view is the tab asked for, the due requests when it is not one of the tabs.
func (q requestsQuery) view() string {
	for _, v := range queueViews {
		if v.Key == q.View {
			return v.Key
		}
	}
	return models.QueueDue
}

// PrivacyRequests is the request queue (due, overdue, completed, ended) with the form
// that records a new request.
func (h *Handler) PrivacyRequests(c *fiber.Ctx) error {
	return h.renderRequests(c, fiber.StatusOK, &models.RequestInput{Channel: models.ChannelElectronic, Scope: models.ScopeSensitive}, nil)
}

// renderRequests shows the queue with the new-request form; the tab and page come from
// the URL of a GET (a refused POST shows the due requests, page 1).
func (h *Handler) renderRequests(c *fiber.Ctx, status int, form *models.RequestInput, errs models.FieldErrors) error {
	var q requestsQuery
	h.bindForm(c, &q)
	view := q.view()
	ps := h.st.Privacy
	page, err := ps.Queue(c.UserContext(), view, q.number(100000))
	if err != nil {
		return err
	}
	due, overdue, err := ps.QueueCounts(c.UserContext())
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/privacy/requests", "Confidential communication requests", &requestsView{
		Q: page, Current: view, Views: queueViews, Due: due, Overdue: overdue, Today: h.today(),
		Form: form, Errors: errs,
	})
}

// PrivacyRequestCreate records a request; its due date follows the channel.
func (h *Handler) PrivacyRequestCreate(c *fiber.Ctx) error {
	var f models.RequestInput
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderRequests(c, fiber.StatusUnprocessableEntity, &f, errs)
	}
	id, errs, err := h.st.Privacy.CreateRequest(c.UserContext(), actorOf(c, currentUser(c)), &f)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderRequests(c, fiber.StatusUnprocessableEntity, &f, errs)
	}
	h.flash(c, "success", "The request is recorded.")
	return c.Redirect("/privacy/requests/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

func (h *Handler) loadRequest(c *fiber.Ctx) (*models.ConfidentialRequest, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	return h.st.Privacy.Request(c.UserContext(), id)
}

// PrivacyRequestShow shows one request with its amend form and actions.
func (h *Handler) PrivacyRequestShow(c *fiber.Ctx) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "privacy.request.view", ObjectType: "confidential_request", ObjectID: strconv.FormatInt(r.ID, 10), MemberID: r.MemberID})
	return h.renderRequest(c, fiber.StatusOK, r, requestForm(r), nil)
}

func requestForm(r *models.ConfidentialRequest) *models.RequestInput {
	return &models.RequestInput{MemberID: r.MemberID, Channel: r.Channel, ReceivedOn: usDate(r.ReceivedOn), Scope: r.Scope, Address: r.Address, Email: r.Email, Phone: r.Phone}
}

func usDate(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	return iso[5:7] + "/" + iso[8:10] + "/" + iso[0:4]
}

// requestView is the data of pages/privacy/request: one request and its amend form.
type requestView struct {
	View
	R      *models.ConfidentialRequest
	Form   *models.RequestInput
	Errors models.FieldErrors
	Today  string
}

func (h *Handler) renderRequest(c *fiber.Ctx, status int, r *models.ConfidentialRequest, form *models.RequestInput, errs models.FieldErrors) error {
	return h.render(c, status, "pages/privacy/request", "Confidential communication request", &requestView{R: r, Form: form, Errors: errs, Today: h.today()})
}

// PrivacyRequestAmend changes a request's channel, date received, scope or contact.
func (h *Handler) PrivacyRequestAmend(c *fiber.Ctx) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	var f models.RequestInput
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderRequest(c, fiber.StatusUnprocessableEntity, r, &f, errs)
	}
	errs, err := h.st.Privacy.AmendRequest(c.UserContext(), actorOf(c, currentUser(c)), r.ID, &f)
	if errors.Is(err, models.ErrConflict) {
		return h.renderRequest(c, fiber.StatusConflict, r, &f, models.FieldErrors{"form": "This request has ended and can no longer be amended."})
	}
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderRequest(c, fiber.StatusUnprocessableEntity, r, &f, errs)
	}
	h.flash(c, "success", "The request is amended.")
	return c.Redirect("/privacy/requests/"+strconv.FormatInt(r.ID, 10), fiber.StatusSeeOther)
}

// PrivacyRequestComplete marks a request answered.
func (h *Handler) PrivacyRequestComplete(c *fiber.Ctx) error {
	return h.requestAction(c, models.Privacy.CompleteRequest, "The request is completed.", "Only an open request can be completed.")
}

// PrivacyRequestEnd ends a request.
func (h *Handler) PrivacyRequestEnd(c *fiber.Ctx) error {
	return h.requestAction(c, models.Privacy.EndRequest, "The request is ended.", "This request has already ended.")
}

func (h *Handler) requestAction(c *fiber.Ctx, fn func(models.Privacy, context.Context, models.Actor, int64) error, done, refused string) error {
	r, err := h.loadRequest(c)
	if err != nil {
		return err
	}
	err = fn(h.st.Privacy, c.UserContext(), actorOf(c, currentUser(c)), r.ID)
	if errors.Is(err, models.ErrConflict) {
		return h.renderRequest(c, fiber.StatusConflict, r, requestForm(r), models.FieldErrors{"form": refused})
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", done)
	return c.Redirect("/privacy/requests/"+strconv.FormatInt(r.ID, 10), fiber.StatusSeeOther)
}
