package handlers

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// planToday is the current date in the plan's time zone (midnight UTC of that date).
func (h *Handler) planToday() time.Time {
	t, err := time.Parse(models.DateFormat, h.db.Today())
	if err != nil {
		return h.db.Now().Truncate(24 * time.Hour)
	}
	return t
}

// paymentFilterForm is the payment history's filter as sent. It travels in the URL
// (links, bookmarks, the span buttons): dates, a month and a TIN of the account are no
// health information. Dates come as YYYY-MM-DD or MM/DD/YYYY, a month as YYYY-MM or
// MM/YYYY, the TIN as one of the account's TIN row IDs.
type paymentFilterForm struct {
	From     string `query:"from" id:"pay-from"`
	To       string `query:"to" id:"pay-to"`
	Month    string `query:"month" id:"pay-month"`
	TIN      string `query:"tin" id:"pay-tin"`
	PageText string `query:"page"`
}

// fields are the filter's values by input id, for the length rule.
func (f *paymentFilterForm) fields() []struct {
	id string
	v  *string
} {
	return []struct {
		id string
		v  *string
	}{{"pay-from", &f.From}, {"pay-to", &f.To}, {"pay-month", &f.Month}, {"pay-tin", &f.TIN}}
}

// Validate refuses what is too long to be a date, a month or a TIN; the span's rules
// need the plan's date and the account's TINs (readPaymentFilter).
func (f *paymentFilterForm) Validate() models.FieldErrors {
	errs := models.FieldErrors{}
	for _, x := range f.fields() {
		if len(*x.v) > paymentFieldMax {
			errs[x.id] = "That is too long to be a valid value."
		}
	}
	return errs
}

// paymentFilter is the payment history's filter as typed, with the validated query.
type paymentFilter struct {
	paymentFilterForm
	Page             int
	Errors           models.FieldErrors
	Span             models.PaymentSpan
	TINID            int64
	Earliest, Latest string
	DefaultSpan      bool
}

// Query is the filter as a query string (for paging, CSV and span links). It is a
// template.URL so that the template puts it after "?" as it is: a plain string there is
// escaped whole ("from%3d…%26to%3d…"), and the links lost their span, TIN and page.
func (f *paymentFilter) Query(page int) template.URL {
	v := url.Values{}
	v.Set("from", f.Span.From)
	v.Set("to", f.Span.To)
	if f.TINID != 0 {
		v.Set("tin", strconv.FormatInt(f.TINID, 10))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return template.URL(v.Encode())
}

// ShiftQuery is the query string of the span moved by days, or "" when that span
// would leave the allowed range.
func (f *paymentFilter) ShiftQuery(days int) template.URL {
	sp := f.Span.Shift(days)
	if sp.To > f.Latest {
		sp.To = f.Latest
	}
	if sp.From < f.Earliest {
		sp.From = f.Earliest
	}
	if sp.From > sp.To || sp == f.Span || sp.From > f.Latest || sp.To < f.Earliest {
		return ""
	}
	g := *f
	g.Span = sp
	return g.Query(0)
}

// Earlier and Later are the neighbouring spans' query strings.
func (f *paymentFilter) Earlier() template.URL { return f.ShiftQuery(-models.PaymentSpanDays) }

// Later is the next span's query string ("" at today).
func (f *paymentFilter) Later() template.URL { return f.ShiftQuery(models.PaymentSpanDays) }

// MonthValue is the month picker's value for the span shown.
func (f *paymentFilter) MonthValue() string {
	if f.Month != "" {
		return f.Month
	}
	if len(f.Span.From) >= 7 {
		return f.Span.From[:7]
	}
	return ""
}

// readPaymentFilter reads the payment history's filter from the query string. Dates
// come as YYYY-MM-DD or MM/DD/YYYY; a month as YYYY-MM or MM/YYYY; the TIN as one of
// the account's TIN row IDs.
func (h *Handler) readPaymentFilter(c *fiber.Ctx, tins []models.TIN) *paymentFilter {
	f := &paymentFilter{}
	f.Errors = h.bindForm(c, &f.paymentFilterForm)
	if f.Errors == nil {
		f.Errors = models.FieldErrors{}
	}
	for _, x := range f.fields() {
		if f.Errors[x.id] != "" {
			*x.v = "" // not shown again: nothing that long is a value of the form
		}
	}
	today := h.planToday()
	f.Earliest, f.Latest = models.PaymentSpanLimits(today)
	f.Page, _ = strconv.Atoi(f.PageText)
	if f.Page < 1 || f.Page > 100000 {
		f.Page = 1
	}
	if f.TIN != "" {
		id, _ := strconv.ParseInt(f.TIN, 10, 64)
		for _, t := range tins {
			if t.ID == id && t.Status == "verified" {
				f.TINID = id
			}
		}
		if f.TINID == 0 && f.Errors["pay-tin"] == "" {
			f.Errors["pay-tin"] = "Choose one of your account's verified TINs, or all TINs."
		}
	}
	switch {
	case len(f.Errors) > 0:
		f.Span = models.DefaultPaymentSpan(today)
	case f.Month != "":
		m, ok := parseMonth(f.Month)
		if !ok {
			f.Errors["pay-month"] = "Enter the month as MM/YYYY."
			f.Span = models.DefaultPaymentSpan(today)
			break
		}
		f.Span = models.MonthPaymentSpan(m, today)
		// A month that began before the 18-month limit shows its part inside it.
		if f.Span.From < f.Earliest && f.Span.To >= f.Earliest {
			f.Span.From = f.Earliest
		}
		if msg := models.CheckPaymentSpan(today, f.Span); msg != "" {
			f.Errors["pay-month"] = msg
		}
	case f.From == "" && f.To == "":
		f.Span, f.DefaultSpan = models.DefaultPaymentSpan(today), true
	default:
		var okFrom, okTo bool
		f.Span.From, okFrom = models.ParseUSDate(f.From)
		f.Span.To, okTo = models.ParseUSDate(f.To)
		switch {
		case f.From != "" && !okFrom:
			f.Errors["pay-from"] = "Enter the “from” date as MM/DD/YYYY."
		case f.To != "" && !okTo:
			f.Errors["pay-to"] = "Enter the “to” date as MM/DD/YYYY."
		case f.From == "":
			f.Span.From = models.PaymentSpan{From: f.Span.To, To: f.Span.To}.Shift(1 - models.PaymentSpanDays).From
		case f.To == "":
			f.Span.To = models.PaymentSpan{From: f.Span.From, To: f.Span.From}.Shift(models.PaymentSpanDays - 1).To
			if f.Span.To > f.Latest {
				f.Span.To = f.Latest
			}
		}
		if len(f.Errors) == 0 {
			if msg := models.CheckPaymentSpan(today, f.Span); msg != "" {
				f.Errors["pay-to"] = msg
			}
		}
	}
	return f
}

// parseMonth reads a month typed as YYYY-MM (what month inputs send) or MM/YYYY.
func parseMonth(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01", "01/2006", "1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// paymentTINs are the account's TINs and the IDs the query may use (one chosen, or all verified).
func (h *Handler) paymentTINs(c *fiber.Ctx) ([]models.TIN, []int64, error) {
	tins, err := h.accountTINs(c, currentUser(c))
	if err != nil {
		return nil, nil, err
	}
	return tins, models.VerifiedTINIDs(tins), nil
}

// paymentsView is the data of the payment history (pages/claims/payments): the filter
// as typed with its messages, the account's TINs and, when the filter was valid, one
// page of payments.
type paymentsView struct {
	View
	F       *paymentFilter
	TINs    []models.TIN
	Page    *models.PaymentPage
	HasNext bool
	// TINSelect and MonthTINSelect are the two forms' TIN filters (paymentTINSelect).
	TINSelect, MonthTINSelect template.HTML
	// Rows are the page's payments as table rows (paymentRows).
	Rows template.HTML
}

// newPaymentsView is the payment history's data before the query: the filter as typed
// and the TIN filters written out.
func newPaymentsView(f *paymentFilter, tins []models.TIN) *paymentsView {
	return &paymentsView{F: f, TINs: tins, TINSelect: paymentTINSelect(f, tins, "pay-tin"), MonthTINSelect: paymentTINSelect(f, tins, "pay-month-tin")}
}

// PaymentsList is the payment history: the checks and EFTs to the account's TINs in a
// span of up to 30 days within the last 18 months (the last 30 days by default).
func (h *Handler) PaymentsList(c *fiber.Ctx) error {
	tins, ids, err := h.paymentTINs(c)
	if err != nil {
		return err
	}
	f := h.readPaymentFilter(c, tins)
	data := newPaymentsView(f, tins)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/payments", "Payment history", data)
	}
	if f.TINID != 0 {
		ids = []int64{f.TINID}
	}
	page, err := h.st.Members.PaymentList(c.UserContext(), models.PaymentQuery{TINIDs: ids, Span: f.Span, Page: f.Page})
	if err != nil {
		return err
	}
	data.Page, data.HasNext, data.Rows = page, page.Page < page.Pages, h.paymentRows(page.Payments)
	h.audit(c, models.AuditEntry{Action: "payments.view", ObjectType: "payment", Detail: fmt.Sprintf("span=%s..%s rows=%d", f.Span.From, f.Span.To, len(page.Payments))})
	return h.render(c, fiber.StatusOK, "pages/claims/payments", "Payment history", data)
}

// PaymentsCSV downloads every payment of the filtered span.
func (h *Handler) PaymentsCSV(c *fiber.Ctx) error {
	tins, ids, err := h.paymentTINs(c)
	if err != nil {
		return err
	}
	f := h.readPaymentFilter(c, tins)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/payments", "Payment history", newPaymentsView(f, tins))
	}
	if f.TINID != 0 {
		ids = []int64{f.TINID}
	}
	page, err := h.st.Members.PaymentList(c.UserContext(), models.PaymentQuery{TINIDs: ids, Span: f.Span, PerPage: -1})
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(page.Payments))
	for _, p := range page.Payments {
		rows = append(rows, []string{formatDate(p.Date), p.No, p.MethodLabel(), csvAmount(p.Amount), models.FormatTIN(p.TIN), p.PayeeName, p.PaidTo(), p.Kind(), strconv.Itoa(p.ClaimCount)})
	}
	h.audit(c, models.AuditEntry{Action: "payments.export", ObjectType: "payment", Detail: fmt.Sprintf("span=%s..%s rows=%d", f.Span.From, f.Span.To, len(rows))})
	return h.sendCSV(c, "payments-"+f.Span.From+"-to-"+f.Span.To+".csv",
		[]string{"date", "number", "method", "amount", "payee_tin", "payee", "mailed_to_or_account", "paid_for", "claims"}, rows)
}

// paymentFieldMax is the longest filter value kept; anything longer is refused.
const paymentFieldMax = 40
