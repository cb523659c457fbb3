package handlers

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// reportCtx is the state of one report request: who may see what, and the chosen TIN
// and month.
type reportCtx struct {
	A      *models.ReportAccess
	TIN    *models.TIN
	Month  string
	Months []string
	M      *models.CapMonth // nil when no capitation was issued for the month
	// page is the page of a member-level report asked for (1 when none or nonsense).
	page int
}

// reportsQuery is what a report's URL names: the TIN (by ID), the month and the page of
// a member-level report. Reports are GET links, so they can be bookmarked and printed;
// none of this identifies a member.
type reportsQuery struct {
	TIN   string `query:"tin" form:"-"`
	Month string `query:"month" form:"-"`
	pageForm
}

// notCapitatedView is the data of pages/reports/not_capitated.
type notCapitatedView struct {
	View
	A     *models.ReportAccess
	NoTIN bool
}

// MonthLabel shows the chosen month in words.
func (r *reportCtx) MonthLabel() string { return models.MonthLabel(r.Month) }

// MonthOptions are the picker's months in words.
func (r *reportCtx) MonthOptions() []rxChoice {
	out := make([]rxChoice, len(r.Months))
	for i, m := range r.Months {
		out[i] = rxChoice{Value: m, Label: models.MonthLabel(m), Checked: m == r.Month}
	}
	return out
}

// Query is the TIN and month as a query string, for links. The TIN is a number and the
// month one of the picker's YYYY-MM values, so templates may place it after "?" as it is.
func (r *reportCtx) Query() template.URL {
	return template.URL("tin=" + strconv.FormatInt(r.TIN.ID, 10) + "&month=" + url.QueryEscape(r.Month)) //nolint:gosec // built from validated values
}

// reportContext applies the reports rules: the permission (routes), the account's own
// verified TINs, a month among the picker's 18. A non-capitated account gets the page
// that says reports apply to capitated groups and hospitals (handled = true). cells
// asks for the month's rate cells, which only the payment summary shows.
func (h *Handler) reportContext(c *fiber.Ctx, cells bool) (*reportCtx, bool, error) {
	a, err := h.st.Reports.Access(c.UserContext(), currentUser(c))
	if err != nil {
		return nil, false, err
	}
	if !a.Capitated {
		return nil, true, h.render(c, fiber.StatusOK, "pages/reports/not_capitated", "Provider reports", &notCapitatedView{A: a})
	}
	var q reportsQuery
	h.bindForm(c, &q)
	r := &reportCtx{A: a, Months: models.MonthChoices(h.rxToday()), page: q.number(1_000_000)}
	if len(a.TINs) == 0 {
		return nil, true, h.render(c, fiber.StatusOK, "pages/reports/not_capitated", "Provider reports", &notCapitatedView{A: a, NoTIN: true})
	}
	r.TIN = &a.TINs[0]
	if q.TIN != "" {
		id, err := strconv.ParseInt(q.TIN, 10, 64)
		if err != nil {
			return nil, false, models.ErrNotFound
		}
		if r.TIN, err = a.TIN(id); err != nil {
			h.audit(c, models.AuditEntry{Action: "reports.view.denied", ObjectType: "tin", ObjectID: q.TIN, Detail: "TIN of another account"})
			return nil, false, err
		}
	} else if sess := currentSession(c); sess != nil && sess.TINID != 0 {
		if t, err := a.TIN(sess.TINID); err == nil {
			r.TIN = t
		}
	}
	r.Month = r.Months[0]
	if q.Month != "" {
		ok := false
		for _, x := range r.Months {
			ok = ok || x == q.Month
		}
		if !ok {
			return nil, false, fiber.NewError(fiber.StatusNotFound, "Reports are kept for the last 18 months. Choose a month from the list.")
		}
		// Copied: the roster CSV streams after the handler returns, when fasthttp has
		// reused the request's memory.
		r.Month = utils.CopyString(q.Month)
	}
	if cells {
		r.M, err = h.st.Reports.Month(c.UserContext(), r.TIN.ID, r.Month)
	} else {
		r.M, err = h.st.Reports.MonthTotals(c.UserContext(), r.TIN.ID, r.Month)
	}
	if err != nil && !isNotFound(err) {
		return nil, false, err
	}
	return r, false, nil
}

// reportAudit records a report view or download: the TIN, month and report, never
// member details.
func (h *Handler) reportAudit(c *fiber.Ctx, action, report string, r *reportCtx, rows int) {
	detail := fmt.Sprintf("report=%s month=%s", report, r.Month)
	if rows >= 0 {
		detail += fmt.Sprintf(" rows=%d", rows)
	}
	h.audit(c, models.AuditEntry{Action: action, ObjectType: "tin", ObjectID: r.TIN.TIN, Detail: detail})
}

// reportsSummaryView is the data of pages/reports/summary; Adjustments (member by
// member) only for users granted member-level reports.
type reportsSummaryView struct {
	View
	R           *reportCtx
	Adjustments []models.CapAdjustment
}

// ReportsSummary is /reports: the TIN and month picker and the month's capitation
// payment summary (member months, rate cells, gross, adjustments, net and the check).
func (h *Handler) ReportsSummary(c *fiber.Ctx) error {
	r, done, err := h.reportContext(c, true)
	if done || err != nil {
		return err
	}
	h.reportAudit(c, "reports.view", "summary", r, -1)
	data := &reportsSummaryView{R: r}
	if r.M != nil && r.A.MemberLevel {
		adj, err := h.st.Reports.Adjustments(c.UserContext(), r.M.ID)
		if err != nil {
			return err
		}
		data.Adjustments = adj
	}
	return h.render(c, fiber.StatusOK, "pages/reports/summary", "Provider reports", data)
}

// ReportsSummaryCSV downloads the month's payment summary: one row per rate cell, then
// the adjustments total, the net and the check.
func (h *Handler) ReportsSummaryCSV(c *fiber.Ctx) error {
	r, done, err := h.reportContext(c, true)
	if done || err != nil {
		return err
	}
	if r.M == nil {
		return fiber.NewError(fiber.StatusNotFound, "No capitation was issued to this TIN for "+r.MonthLabel()+".")
	}
	tin, month := models.FormatTIN(r.TIN.TIN), r.Month
	var rows [][]string
	for _, cell := range r.M.Cells {
		rows = append(rows, []string{tin, month, "rate cell", cell.Code, cell.Description, strconv.FormatInt(cell.Members, 10), csvAmount(cell.PMPM), csvAmount(cell.Gross)})
	}
	rows = append(rows,
		[]string{tin, month, "gross", "", "member months", strconv.FormatInt(r.M.MemberMonths, 10), "", csvAmount(r.M.Gross)},
		[]string{tin, month, "adjustments", "", "retroactive adds and terms", "", "", csvAmount(r.M.Adjustment)},
		[]string{tin, month, "net", "", "check " + r.M.CheckNo + " dated " + formatDate(r.M.CheckDate), "", "", csvAmount(r.M.Net)})
	h.reportAudit(c, "reports.download", "summary", r, len(r.M.Cells))
	return h.sendCSV(c, "capitation-summary-"+r.TIN.TIN+"-"+r.Month+".csv",
		[]string{"tin", "month", "line", "rate_cell", "description", "members", "pmpm", "amount"}, rows)
}

// reportTitles names the member-level reports.
var reportTitles = map[string]string{
	models.ReportRoster: "Capitation roster",
	models.ReportAdds:   "Membership adds",
	models.ReportTerms:  "Membership terms",
}

// noGrantView is the data of pages/reports/no_grant: the TIN and month, for the link
// back to the summary.
type noGrantView struct {
	View
	R *reportCtx
}

// reportMembersView is the data of pages/reports/members: one page of a member-level
// report (Page is nil when no capitation was issued for the month).
type reportMembersView struct {
	View
	R           *reportCtx
	Kind, Title string
	Page        *models.RosterPage
}

// memberLevel gates the member-level reports: the account manager's grant is needed.
// Refusals are audited.
func (h *Handler) memberLevel(c *fiber.Ctx, kind string) (*reportCtx, bool, error) {
	r, done, err := h.reportContext(c, false)
	if done || err != nil {
		return r, done, err
	}
	if !r.A.MemberLevel {
		h.reportAudit(c, "reports.view.denied", kind, r, -1)
		return nil, true, h.render(c, fiber.StatusForbidden, "pages/reports/no_grant", "Provider reports", &noGrantView{R: r})
	}
	return r, false, nil
}

// ReportsMembers shows a page of a member-level report (roster, adds or terms).
func (h *Handler) ReportsMembers(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, done, err := h.memberLevel(c, kind)
		if done || err != nil {
			return err
		}
		data := &reportMembersView{R: r, Kind: kind, Title: reportTitles[kind]}
		if r.M != nil {
			p, err := h.st.Reports.MemberReport(c.UserContext(), r.M, kind, r.page)
			if err != nil {
				return err
			}
			data.Page = p
			h.reportAudit(c, "reports.view", kind, r, len(p.Rows))
		} else {
			h.reportAudit(c, "reports.view", kind, r, 0)
		}
		return h.render(c, fiber.StatusOK, "pages/reports/members", reportTitles[kind], data)
	}
}

// rosterCSVHeader is the header of the member-level CSV downloads.
var rosterCSVHeader = []string{"tin", "month", "member_id", "last_name", "first_name", "dob", "aid_code", "product", "plan",
	"rate_cell", "pmpm", "effective_date", "end_date", "change"}

// ReportsMembersCSV streams a member-level report as CSV: rows are written as they are
// read, so a roster of any size holds one row in memory at a time.
func (h *Handler) ReportsMembersCSV(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, done, err := h.memberLevel(c, kind)
		if done || err != nil {
			return err
		}
		if r.M == nil {
			return fiber.NewError(fiber.StatusNotFound, "No capitation was issued to this TIN for "+r.MonthLabel()+".")
		}
		h.reportAudit(c, "reports.download", kind, r, int(map[string]int64{models.ReportRoster: r.M.MemberMonths,
			models.ReportAdds: r.M.Adds, models.ReportTerms: r.M.Terms}[kind]))
		store, capMonth, tin, month := h.st.Reports, *r.M, models.FormatTIN(r.TIN.TIN), r.Month
		return h.streamCSV(c, "capitation-"+kind+"-"+r.TIN.TIN+"-"+r.Month+".csv", rosterCSVHeader, func(write func([]string) error) error {
			_, err := store.StreamMemberReport(context.Background(), &capMonth, kind, func(x models.RosterRow) error {
				return write([]string{tin, month, x.MemberID, x.LastName, x.FirstName, x.DOB, x.AidCode, x.ProductLabel(), x.PlanName,
					x.RateCell, csvAmount(x.PMPM), x.EffectiveDate, x.EndDate, x.Change})
			})
			return err
		})
	}
}
