package handlers

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// auditForm is the filter as typed.
type auditForm struct {
	Email, MemberID, Action, From, To string
	Page                              int
}

// auditPageSize is the number of entries an audit page shows.
const auditPageSize = 100

// auditRow is one entry with its action in words.
type auditRow struct {
	models.AuditEntry
	Words string
}

// auditFilter validates the form into a model filter, with messages per field.
func (h *Handler) auditFilter(c *fiber.Ctx) (auditForm, models.AuditFilter, models.FieldErrors, error) {
	f := auditForm{
		Email:    strings.TrimSpace(utils.CopyString(c.FormValue("email"))),
		MemberID: strings.TrimSpace(utils.CopyString(c.FormValue("member_id"))),
		Action:   strings.TrimSpace(utils.CopyString(c.FormValue("action"))),
		From:     strings.TrimSpace(utils.CopyString(c.FormValue("from"))),
		To:       strings.TrimSpace(utils.CopyString(c.FormValue("to"))),
	}
	f.Page, _ = strconv.Atoi(c.FormValue("page"))
	if f.Page < 1 || f.Page > 1000000 {
		f.Page = 1
	}
	errs := models.FieldErrors{}
	filter := models.AuditFilter{Action: f.Action, Limit: auditPageSize, Offset: (f.Page - 1) * auditPageSize}
	if len(f.Email) > 254 {
		errs["email"] = "Enter an e-mail address of at most 254 characters."
	} else if f.Email != "" {
		u, err := h.st.Users.ByEmail(c.UserContext(), f.Email)
		switch {
		case err == nil:
			filter.UserID = u.ID
		case errors.Is(err, models.ErrNotFound):
			errs["email"] = "No user has this e-mail address."
		default:
			return f, filter, nil, err
		}
	}
	if f.MemberID != "" {
		filter.MemberID = models.NormalizeMemberID(f.MemberID)
		if len(filter.MemberID) < 2 || len(filter.MemberID) > 20 {
			errs["member_id"] = "Enter a member ID such as A100000001."
		}
	}
	if len(f.Action) > 64 {
		errs["action"] = "Enter an action such as member.view."
	}
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if v == "" {
			continue
		}
		if _, err := time.Parse(models.DateFormat, v); err != nil {
			errs[name] = "Enter the date as YYYY-MM-DD."
		}
	}
	if errs["from"] == "" && errs["to"] == "" && f.From != "" && f.To != "" && f.To < f.From {
		errs["to"] = "The end date is before the start date."
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
	data := fiber.Map{"Form": f, "Errors": errs}
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
	data["Entries"], data["Total"], data["Pages"] = rows, total, pages
	data["Prev"], data["Next"] = f.Page-1, 0
	if f.Page < pages {
		data["Next"] = f.Page + 1
	}
	data["Accounting"] = filter.MemberID != ""
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
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/audit/index", "Audit log", fiber.Map{"Form": f, "Errors": errs})
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
