package handlers

import (
	"errors"
	"net/mail"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// OutboxLine is one line of an e-mail body; links to this portal become links.
type OutboxLine struct {
	Text string
	Href string
}

// OutboxMail is an e-mail as the outbox page shows it.
type OutboxMail struct {
	models.Mail
	Lines []OutboxLine
}

// StatusLabel is the word the page shows for the mail's status.
func (m OutboxMail) StatusLabel() string { return outboxStatusLabels[m.Status] }

// StatusClass is the colour class of the mail's status.
func (m OutboxMail) StatusClass() string {
	switch m.Status {
	case models.MailSent:
		return "status-ok"
	case models.MailFailed:
		return "status-bad"
	case models.MailQueued:
		if m.Attempts > 0 {
			return "status-warn"
		}
		return "status-info"
	default:
		return "status-info"
	}
}

// outboxPerPage is how many mails one outbox page shows.
const outboxPerPage = 25

// outboxStatusLabels are the words the outbox page shows for each status.
var outboxStatusLabels = map[string]string{
	models.MailQueued:  "Waiting",
	models.MailSent:    "Sent",
	models.MailFailed:  "Failed",
	models.MailHeld:    "Not for delivery (demo data)",
	models.MailExpired: "Not sent: link expired",
}

// OutboxStatus is one choice of the outbox page's status filter.
type OutboxStatus struct{ Value, Label string }

// outboxView tells what the visitor may read in the outbox (SPEC §9): plan admins
// everything, whatever the SMTP setting; in demo mode other signed-in users the mail to
// the reserved .example domains without reset links; nobody else anything.
func (h *Handler) outboxView(c *fiber.Ctx) (admin bool, err error) {
	u := currentUser(c)
	switch {
	case u == nil:
		return false, errSignInFirst
	case u.HasRole(models.RoleAdmin):
		return true, nil
	case h.opts.Demo:
		return false, nil
	default:
		return false, models.ErrForbidden
	}
}

// errSignInFirst sends a visitor to the sign-in page.
var errSignInFirst = errors.New("sign in first")

// Outbox lists the outbox, newest first, with each mail's delivery status; plan admins
// filter by status and send failed mail again.
func (h *Handler) Outbox(c *fiber.Ctx) error {
	admin, err := h.outboxView(c)
	if errors.Is(err, errSignInFirst) {
		return h.requireUser(c)
	}
	if err != nil {
		return err
	}
	var q outboxQuery
	_ = h.bindQuery(c, &q) // an address that cannot be read lists everything, as a bad filter does
	return h.renderOutbox(c, "pages/outbox/list", "Outbox", q.filter(admin), admin)
}

// outboxQuery is the outbox filter as its links carry it: a status, an address, a page.
type outboxQuery struct {
	Status string `query:"status"`
	To     string `query:"to"`
	Page   string `query:"page"`
}

// filter is the model filter of the query. A filter that cannot be used is dropped
// rather than refused: these values come from the page's own links.
func (q *outboxQuery) filter(admin bool) models.OutboxFilter {
	f := models.OutboxFilter{Training: !admin, PerPage: outboxPerPage}
	if outboxStatusLabels[q.Status] != "" {
		f.Status = utils.CopyString(q.Status)
	}
	if len(q.To) <= 254 {
		f.To = utils.CopyString(q.To)
	}
	f.Page, _ = strconv.Atoi(q.Page)
	if f.Page < 1 || f.Page > 100_000 {
		f.Page = 1
	}
	return f
}

// outboxListView is the data of pages/outbox/list: one page of mail with the filter.
type outboxListView struct {
	View
	Mails                          []OutboxMail
	Total, Page, Pages, Prev, Next int
	HasNext                        bool
	To, Status                     string
	Statuses                       []OutboxStatus
	// Admin may filter and send failed mail again; SMTP tells whether mail leaves at all.
	Admin, SMTP bool
	MaxAttempts int
}

// demoMailView is the data of pages/outbox/demo_mail: the training mail to one address.
type demoMailView struct {
	View
	To     string
	Errors models.FieldErrors
	Mails  []OutboxMail
	Total  int
}

// demoMailQuery is the address whose training mail the demo mail page shows; its
// messages are keyed by the input's id.
type demoMailQuery struct {
	To string `query:"to" id:"demo-mail-to"`
}

// Validate accepts one plain address in a reserved .example domain, or none (the
// page then only asks for one).
func (q *demoMailQuery) Validate() models.FieldErrors {
	to := q.To
	switch {
	case to == "":
		return nil
	case len(to) > 254:
		return models.FieldErrors{"demo-mail-to": "An e-mail address has at most 254 characters."}
	}
	if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
		return models.FieldErrors{"demo-mail-to": "Enter an e-mail address, like name@clinic.example."}
	}
	if !models.IsTrainingAddress(to) {
		return models.FieldErrors{"demo-mail-to": "The demo shows mail to addresses ending in .example only. Mail to other addresses is for the plan admin."}
	}
	return nil
}

// DemoMail is the sign-in help's mail page in demo mode: a visitor who registered, or a
// partner who was sent a registered envelope, reads the mail to one address in a
// reserved .example domain (never a reset link, never mail to a real address).
func (h *Handler) DemoMail(c *fiber.Ctx) error {
	if !h.opts.Demo {
		return fiber.ErrNotFound
	}
	var q demoMailQuery
	errs := h.bindQuery(c, &q)
	data := &demoMailView{To: utils.CopyString(q.To)}
	switch {
	case errs != nil:
		// The page has one field: an address that could not even be read is its problem.
		data.Errors = models.FieldErrors{"demo-mail-to": errs["demo-mail-to"] + errs["form"]}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/outbox/demo_mail", "Demo mail", data)
	case data.To == "":
		return h.render(c, fiber.StatusOK, "pages/outbox/demo_mail", "Demo mail", data)
	}
	page, err := h.st.Outbox.List(c.UserContext(), models.OutboxFilter{Training: true, PerPage: outboxPerPage, To: data.To})
	if err != nil {
		return err
	}
	data.Mails, data.Total = h.outboxMails(page.Mails), page.Total
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "pages/outbox/demo_mail", "Demo mail", data)
}

func (h *Handler) renderOutbox(c *fiber.Ctx, page, title string, f models.OutboxFilter, admin bool) error {
	res, err := h.st.Outbox.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	pages := (res.Total + outboxPerPage - 1) / outboxPerPage
	statuses := make([]OutboxStatus, 0, len(models.MailStatuses))
	for _, s := range models.MailStatuses {
		statuses = append(statuses, OutboxStatus{s, outboxStatusLabels[s]})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, page, title, &outboxListView{
		Mails: h.outboxMails(res.Mails), Total: res.Total, Page: f.Page, Pages: pages,
		Prev: f.Page - 1, Next: f.Page + 1, HasNext: f.Page < pages,
		To: f.To, Status: f.Status, Statuses: statuses, Admin: admin,
		SMTP: h.opts.SMTPURL != "", MaxAttempts: models.MaxMailAttempts,
	})
}

// outboxMails splits bodies into lines and makes links to this portal clickable.
func (h *Handler) outboxMails(mails []models.Mail) []OutboxMail {
	out := make([]OutboxMail, 0, len(mails))
	for _, m := range mails {
		om := OutboxMail{Mail: m}
		for _, line := range strings.Split(m.Body, "\n") {
			l := OutboxLine{Text: line}
			trimmed := strings.TrimSpace(line)
			if base := h.opts.BaseURL + "/"; h.opts.BaseURL != "" && strings.HasPrefix(trimmed, base) && !strings.ContainsAny(trimmed, " \t\"'<>") {
				// Relative, so the link works whatever address the portal is reached by.
				l.Href = "/" + strings.TrimPrefix(trimmed, base)
			}
			om.Lines = append(om.Lines, l)
		}
		out = append(out, om)
	}
	return out
}

// OutboxResend queues a failed mail again (plan admins; audited).
func (h *Handler) OutboxResend(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return models.ErrNotFound
	}
	m, err := h.st.Outbox.Resend(c.UserContext(), id)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "outbox_resend", ObjectType: "mail", ObjectID: strconv.FormatInt(m.ID, 10),
		Detail: "to " + models.MaskAddress(m.To)})
	h.flash(c, "success", "Mail "+strconv.FormatInt(m.ID, 10)+" will be sent again at the next delivery round.")
	return c.Redirect("/outbox?status=failed", fiber.StatusSeeOther)
}
