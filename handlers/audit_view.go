package handlers

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// auditForm is the filter as typed. It is POSTed only (query:"-"), so that member IDs
// and e-mail addresses stay out of URLs. Messages are keyed by the inputs' ids.
type auditForm struct {
	Email    string `form:"email" query:"-" id:"audit-email"`
	MemberID string `form:"member_id" query:"-" id:"audit-member_id"`
	Action   string `form:"action" query:"-" id:"audit-action"`
	From     string `form:"from" query:"-" id:"audit-from"`
	To       string `form:"to" query:"-" id:"audit-to"`
	PageText string `form:"page" query:"-"`
	// Page is the page asked for, 1 when none or an impossible one.
	Page int `form:"-" query:"-"`
	// memberID is MemberID normalised, for the filter.
	memberID string
}

// Validate checks the filter's sizes and dates; the page is forgiven (1).
func (f *auditForm) Validate() models.FieldErrors {
	f.Page, _ = strconv.Atoi(f.PageText)
	if f.Page < 1 || f.Page > 1000000 {
		f.Page = 1
	}
	errs := models.FieldErrors{}
	if len(f.Email) > 254 {
		errs["audit-email"] = "Enter an e-mail address of at most 254 characters."
	}
	if f.MemberID != "" {
		f.memberID = models.NormalizeMemberID(f.MemberID)
		if len(f.memberID) < 2 || len(f.memberID) > 20 {
			errs["audit-member_id"] = "Enter a member ID such as A100000001."
		}
	}
	if len(f.Action) > 64 {
		errs["audit-action"] = "Enter an action such as member.view."
	}
	for name, v := range map[string]string{"audit-from": f.From, "audit-to": f.To} {
		if v == "" {
			continue
		}
		if _, err := time.Parse(models.DateFormat, v); err != nil {
			errs[name] = "Enter the date as YYYY-MM-DD."
		}
	}
	if errs["audit-from"] == "" && errs["audit-to"] == "" && f.From != "" && f.To != "" && f.To < f.From {
		errs["audit-to"] = "The end date is before the start date."
	}
	return errs
}

// auditView is the data of pages/audit/index: the filter as typed and, when it could be
// used, one page of entries.
type auditView struct {
	View
	Form    *auditForm
	Errors  models.FieldErrors
	Entries []auditRow
	Total   int
	Pages   int
	// Prev and Next are page numbers, 0 when there is none.
	Prev, Next int
	// Accounting is "who accessed this member": the filter names a member.
	Accounting bool
}

// auditPageSize is the number of entries an audit page shows.
const auditPageSize = 100

// auditRow is one entry with its action in words.
type auditRow struct {
	models.AuditEntry
	Words string
}

// auditFilter reads the form into a model filter, with messages per field: the form's
// own rules, then whether a user has the e-mail address.
func (h *Handler) auditFilter(c *fiber.Ctx) (*auditForm, models.AuditFilter, models.FieldErrors, error) {
	f := &auditForm{}
	errs := h.bindForm(c, f)
	if errs == nil {
		errs = models.FieldErrors{}
	}
	if f.Page < 1 {
		f.Page = 1 // the form could not be read: its rules did not run
	}
	filter := models.AuditFilter{Action: f.Action, Limit: auditPageSize, Offset: (f.Page - 1) * auditPageSize, MemberID: f.memberID}
	if errs["audit-email"] == "" && f.Email != "" {
		u, err := h.st.Users.ByEmail(c.UserContext(), f.Email)
		switch {
		case err == nil:
			filter.UserID = u.ID
		case errors.Is(err, models.ErrNotFound):
			errs["audit-email"] = "No user has this e-mail address."
		default:
			return f, filter, nil, err
		}
	}
	filter.From, filter.To = f.From, f.To
	if len(errs) > 0 {
		return f, filter, errs, nil
	}
	return f, filter, nil, nil
}

// AuditSearch shows the newest entries matching the filter (all entries on first visit).
func (h *Handler) AuditSearch(c *fiber.Ctx) error {
	f, filter, errs, err := h.auditFilter(c)
	if err != nil {
		return err
	}
	data := &auditView{Form: f, Errors: errs}
	if errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/audit/index", "Audit log", data)
	}
	au := h.st.Audit
	total, err := au.Count(c.UserContext(), filter)
	if err != nil {
		return err
	}
	entries, err := au.Find(c.UserContext(), filter)
	if err != nil {
		return err
	}
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, auditRow{e, activityText(models.ActivityEntry{Action: e.Action})})
	}
	pages := (total + auditPageSize - 1) / auditPageSize
	data.Entries, data.Total, data.Pages = rows, total, pages
	data.Prev = f.Page - 1
	if f.Page < pages {
		data.Next = f.Page + 1
	}
	data.Accounting = filter.MemberID != ""
	h.audit(c, models.AuditEntry{Action: "audit.search", MemberID: filter.MemberID, Detail: "action=" + filter.Action})
	return h.render(c, fiber.StatusOK, "pages/audit/index", "Audit log", data)
}

// AuditExport downloads the filtered entries as CSV; the export itself is audited.
func (h *Handler) AuditExport(c *fiber.Ctx) error {
	f, filter, errs, err := h.auditFilter(c)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/audit/index", "Audit log", &auditView{Form: f, Errors: errs})
	}
	filter.Limit, filter.Offset = 100000, 0
	entries, err := h.st.Audit.Find(c.UserContext(), filter)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "audit.export", MemberID: filter.MemberID, Detail: "rows=" + strconv.Itoa(len(entries))})
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.At, e.Actor, strconv.FormatInt(e.AccountID, 10), e.Action, e.ObjectType, e.ObjectID, e.MemberID, e.IP, e.Detail, e.Hash})
	}
	return h.sendCSV(c, "portico-audit.csv", []string{"id", "time_utc", "user", "account_id", "action", "object_type", "object_id", "member_id", "ip", "detail", "hash"}, rows)
}
