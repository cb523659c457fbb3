package handlers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// requiredAnswer is the "is an authorization required?" answer for one procedure line.
type requiredAnswer struct {
	Line   int
	Answer models.RequirementAnswer
}

func (h *Handler) requiredAnswers(c *fiber.Ctx, r *models.AuthzRequest) ([]requiredAnswer, error) {
	var out []requiredAnswer
	for _, l := range r.Lines {
		a, err := h.authz().IsRequired(c.UserContext(), l.Code, r.PlanType)
		if err != nil {
			var fe models.FieldErrors
			if asFieldErrors(err, &fe) {
				continue
			}
			return nil, err
		}
		out = append(out, requiredAnswer{Line: l.LineNo, Answer: a})
	}
	return out, nil
}

// codesView is the data of pages/authorizations/codes: the search as typed and, once
// searched, the codes found.
type codesView struct {
	View
	codeSearchForm
	Errors   models.FieldErrors
	Results  []models.Code
	Searched bool
}

// codeSearchForm is the code search (a GET form: codes and words are not health
// information). An unknown code set searches diagnoses.
type codeSearchForm struct {
	Kind string `query:"kind"`
	Q    string `query:"q" id:"cs-q" label:"the code or words" validate:"maxrunes=100"`
}

// AuthzCodeSearch is the plain code search page (works without JavaScript): diagnosis
// or procedure codes by code or by words. Codes and words are not health information.
func (h *Handler) AuthzCodeSearch(c *fiber.Ctx) error {
	data := &codesView{}
	data.Errors = h.bindForm(c, &data.codeSearchForm)
	if data.Kind != models.SearchProcedure {
		data.Kind = models.SearchDiagnosis
	}
	if data.Errors != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/codes", "Code search", data)
	}
	if data.Q != "" {
		data.Results = models.SearchCodes(data.Kind, data.Q, 100)
		data.Searched = true
	}
	return h.render(c, fiber.StatusOK, "pages/authorizations/codes", "Code search", data)
}

// suggestForm is what a code field sends as it is typed: the code set, the id of the
// field's datalist, and the field's own value (dx or code), or q.
type suggestForm struct {
	Kind string `query:"kind"`
	List string `query:"list"`
	Q    string `query:"q"`
	Dx   string `query:"dx"`
	Code string `query:"code"`
}

// Validate asks for a known code set and a list id that is safe to put in the page.
func (f *suggestForm) Validate() models.FieldErrors {
	if !validListID(f.List) || (f.Kind != models.SearchDiagnosis && f.Kind != models.SearchProcedure) {
		return models.FieldErrors{"list": "Unknown code list."}
	}
	return nil
}

// text is what to look up: q, else the field's own value.
func (f *suggestForm) text() string {
	switch {
	case f.Q != "":
		return f.Q
	case f.Kind == models.SearchDiagnosis:
		return f.Dx
	}
	return f.Code
}

// suggestView is the data of partials/authorizations/suggest.
type suggestView struct {
	View
	List  string
	Codes []models.Code
}

// AuthzCodeSuggest answers a code field as it is typed (HTMX): a <datalist> of up to 12
// matching codes for the field's list. It reads the field's own value (dx or code).
func (h *Handler) AuthzCodeSuggest(c *fiber.Ctx) error {
	var f suggestForm
	if errs := h.bindForm(c, &f); errs != nil {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "Unknown code list.")
	}
	var res []models.Code
	if q := f.text(); len(q) >= 2 && len(q) <= 100 {
		res = models.SearchCodes(f.Kind, q, 12)
	}
	return h.renderFragment(c, fiber.StatusOK, "partials/authorizations/suggest", &suggestView{List: f.List, Codes: res})
}

func validListID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z') && !(r >= '0' && r <= '9') && r != '-' {
			return false
		}
	}
	return true
}

// requiredView is the data of pages/authorizations/required: the look-up as typed and
// its answer.
type requiredView struct {
	View
	Code      string
	Plan      string
	PlanTypes []models.PlanType
	Errors    models.FieldErrors
	Answer    *models.RequirementAnswer
}

// requiredForm is the look-up (a GET form: codes are not health information).
type requiredForm struct {
	Code string `query:"code" id:"rq-code" label:"the procedure code" validate:"maxrunes=20"`
	Plan string `query:"plan_type" id:"rq-plan" label:"the plan type" validate:"maxrunes=20"`
}

// AuthzRequiredLookup answers "is an authorization required?" for a procedure code and
// plan type (a GET form: codes are not health information). The plan type defaults to
// the one chosen in the context bar.
func (h *Handler) AuthzRequiredLookup(c *fiber.Ctx) error {
	var f requiredForm
	errs := h.bindForm(c, &f)
	if f.Plan == "" {
		if s := currentSession(c); s != nil && models.ValidPlanType(s.PlanType) {
			f.Plan = s.PlanType
		} else {
			f.Plan = models.PlanCommercial
		}
	}
	data := &requiredView{Code: f.Code, Plan: f.Plan, PlanTypes: models.PlanTypes, Errors: errs}
	if errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/required", "Is an authorization required?", data)
	}
	if f.Code == "" {
		return h.render(c, fiber.StatusOK, "pages/authorizations/required", "Is an authorization required?", data)
	}
	a, err := h.authz().IsRequired(c.UserContext(), f.Code, f.Plan)
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		data.Errors = models.FieldErrors{}
		if m, ok := fe["code"]; ok {
			data.Errors["rq-code"] = m
		}
		if m, ok := fe["plan_type"]; ok {
			data.Errors["rq-plan"] = m
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/required", "Is an authorization required?", data)
	}
	if err != nil {
		return err
	}
	data.Answer = &a
	return h.render(c, fiber.StatusOK, "pages/authorizations/required", "Is an authorization required?", data)
}

// AuthzRequirementsPublic is the public list of items and services that need prior
// authorization, per plan type (no sign-in), as CMS-0057-F requires.
func (h *Handler) AuthzRequirementsPublic(c *fiber.Ctx) error {
	list, err := h.authz().Requirements(c.UserContext(), "")
	if err != nil {
		return err
	}
	by := map[string][]models.Requirement{}
	for _, r := range list {
		if r.Required {
			by[r.PlanType] = append(by[r.PlanType], r)
		}
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return h.render(c, fiber.StatusOK, "pages/authorizations/requirements", "Services that need prior authorization", &requirementsView{By: by, PlanTypes: models.PlanTypes})
}

// requirementsView is the data of pages/authorizations/requirements: the codes that need
// authorization by plan type.
type requirementsView struct {
	View
	By        map[string][]models.Requirement
	PlanTypes []models.PlanType
}

// AuthzRequirementsCSV downloads the public list.
func (h *Handler) AuthzRequirementsCSV(c *fiber.Ctx) error {
	list, err := h.authz().Requirements(c.UserContext(), "")
	if err != nil {
		return err
	}
	rows := [][]string{{"code", "title", "plan_type", "required", "service_type", "note"}}
	for _, r := range list {
		req := "no"
		if r.Required {
			req = "yes"
		}
		rows = append(rows, []string{r.Code, r.Title, r.PlanType, req, r.ServiceType, r.Note})
	}
	return h.sendCSV(c, "prior-authorization-list.csv", rows[0], rows[1:])
}

// AuthzSheetCatalogue lists the Smart Sheets.
func (h *Handler) AuthzSheetCatalogue(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "pages/authorizations/sheets", "Smart Sheets", &sheetsView{Sheets: models.SmartSheets})
}

// sheetsView is the data of pages/authorizations/sheets.
type sheetsView struct {
	View
	Sheets []models.SmartSheet
}

// sheetPrintView is the data of pages/authorizations/sheet_print: a sheet and its codes.
type sheetPrintView struct {
	View
	S     *models.SmartSheet
	Codes []models.Code
}

// AuthzSheetPrint is one Smart Sheet as a clean printable page with empty boxes.
func (h *Handler) AuthzSheetPrint(c *fiber.Ctx) error {
	sh := models.SheetByKey(utils.CopyString(c.Params("key")))
	if sh == nil {
		return models.ErrNotFound
	}
	var codes []models.Code
	for _, k := range sh.Codes {
		if cd, ok := models.LookupProcedure(k); ok {
			codes = append(codes, cd)
		}
	}
	return h.render(c, fiber.StatusOK, "pages/authorizations/sheet_print", sh.Title+" · Smart Sheet", &sheetPrintView{S: sh, Codes: codes})
}

// cachedMetrics are the computed metrics of a year, kept for a minute: they are the same
// for every visitor and change only with decisions.
type cachedMetrics struct {
	at time.Time
	m  *models.Metrics
}

func (h *Handler) metricsFor(ctx context.Context, year int) (*models.Metrics, error) {
	mc := &h.cache.metrics
	mc.Lock()
	cm, ok := mc.m[year]
	mc.Unlock()
	if ok && h.db.Clock.Wall().Sub(cm.at) < time.Minute {
		return cm.m, nil
	}
	m, err := h.authz().ComputeMetrics(ctx, year)
	if err != nil {
		return nil, err
	}
	mc.Lock()
	mc.m[year] = cachedMetrics{h.db.Clock.Wall(), m}
	mc.Unlock()
	return m, nil
}

// metricsForm is the year of the metrics page and CSV (this year when none is asked).
type metricsForm struct {
	Year string `query:"year" label:"the year"`
}

// Validate asks for a year the plan can have published.
func (f *metricsForm) Validate() models.FieldErrors {
	if f.Year == "" {
		return nil
	}
	if n, err := strconv.Atoi(f.Year); err != nil || n < 2000 || n > 2100 {
		return models.FieldErrors{"mt-year": "Choose a year from the list."}
	}
	return nil
}

func (h *Handler) metricsYear(c *fiber.Ctx) (int, error) {
	var f metricsForm
	if errs := h.bindForm(c, &f); errs != nil {
		return 0, fiber.NewError(fiber.StatusUnprocessableEntity, "Choose a year from the list.")
	}
	if f.Year == "" {
		return h.now().In(h.planZone()).Year(), nil
	}
	return strconv.Atoi(f.Year)
}

// metricsView is the data of pages/authorizations/metrics.
type metricsView struct {
	View
	M         *models.Metrics
	PlanTypes []models.PlanType
}

// AuthzMetrics is the public metrics page (no sign-in).
func (h *Handler) AuthzMetrics(c *fiber.Ctx) error {
	year, err := h.metricsYear(c)
	if err != nil {
		return err
	}
	m, err := h.metricsFor(c.UserContext(), year)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return h.render(c, fiber.StatusOK, "pages/authorizations/metrics", "Prior authorization metrics", &metricsView{M: m, PlanTypes: models.PlanTypes})
}

// AuthzMetricsCSV is the metrics as CSV: one row per plan type, and the plan's own rows
// per service type and quarter.
func (h *Handler) AuthzMetricsCSV(c *fiber.Ctx) error {
	year, err := h.metricsYear(c)
	if err != nil {
		return err
	}
	m, err := h.metricsFor(c.UserContext(), year)
	if err != nil {
		return err
	}
	rows := [][]string{{"year", "plan_type", "breakdown", "group", "standard_decided", "standard_approved_pct", "standard_denied_pct",
		"standard_approved_after_appeal_pct", "standard_approved_after_extension_pct", "expedited_decided", "expedited_approved_pct",
		"expedited_denied_pct", "standard_avg_hours", "standard_median_hours", "expedited_avg_hours", "expedited_median_hours"}}
	num := func(s string) string { return strings.TrimSuffix(strings.TrimSuffix(s, " %"), " hours") }
	line := func(plan, breakdown string, g models.MetricGroup) []string {
		return []string{strconv.Itoa(year), plan, breakdown, g.Label, strconv.Itoa(g.StdTotal), num(g.StdApprovedPct()), num(g.StdDeniedPct()),
			num(g.StdAppealPct()), num(g.StdExtendedPct()), strconv.Itoa(g.ExpTotal), num(g.ExpApprovedPct()), num(g.ExpDeniedPct()),
			num(g.StdAvg()), num(g.StdMedian()), num(g.ExpAvg()), num(g.ExpMedian())}
	}
	for _, g := range m.ByPlan {
		rows = append(rows, line(g.Key, "plan type", g))
	}
	for _, p := range models.PlanTypes {
		for _, g := range m.ByService[p.Value] {
			rows = append(rows, line(p.Value, "service type", g))
		}
		for _, g := range m.ByQuarter[p.Value] {
			rows = append(rows, line(p.Value, "quarter", g))
		}
	}
	return h.sendCSV(c, fmt.Sprintf("prior-authorization-metrics-%d.csv", year), rows[0], rows[1:])
}

// authzAdminView is the data of pages/authorizations/admin: the decision clocks,
// holidays, reasons and the requirements list, with the problems of a refused form.
type authzAdminView struct {
	View
	Clocks    []models.ClockRule
	Holidays  []models.Holiday
	Reasons   []models.Reason
	Reqs      []models.Requirement
	Errors    models.FieldErrors
	Problems  []string
	PlanTypes []models.PlanType
	Services  []models.ServiceType
}

// AuthzAdmin is the plan admin's page: decision clocks, holidays, decision reasons and
// the list of procedures that need authorization (with CSV import).
func (h *Handler) AuthzAdmin(c *fiber.Ctx) error {
	return h.renderAuthzAdmin(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderAuthzAdmin(c *fiber.Ctx, status int, errs models.FieldErrors, problems []string) error {
	ctx := c.UserContext()
	a := h.authz()
	data := &authzAdminView{Errors: errs, Problems: problems, PlanTypes: models.PlanTypes, Services: models.ServiceTypes}
	var err error
	if data.Clocks, err = a.ClockRules(ctx); err != nil {
		return err
	}
	if data.Holidays, err = a.HolidayList(ctx); err != nil {
		return err
	}
	if data.Reasons, err = a.Reasons(ctx, ""); err != nil {
		return err
	}
	if data.Reqs, err = a.Requirements(ctx, ""); err != nil {
		return err
	}
	return h.render(c, status, "pages/authorizations/admin", "Authorization settings", data)
}

func (h *Handler) adminDone(c *fiber.Ctx, what, detail string) error {
	h.audit(c, models.AuditEntry{Action: "authorization.settings", ObjectType: "settings", ObjectID: what, Detail: detail})
	h.flash(c, "success", "Saved.")
	return c.Redirect("/admin/authorizations", fiber.StatusSeeOther)
}

// AuthzAdminRequirement adds or changes a row of the requirements list.
func (h *Handler) AuthzAdminRequirement(c *fiber.Ctx) error {
	var in models.RequirementInput
	if errs := h.bindForm(c, &in); errs != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
	}
	err := h.authz().SaveRequirement(c.UserContext(), in, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		// The model keys its problems by column; the page's fields are rq-COLUMN.
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, in.Validate(), nil)
	}
	if err != nil {
		return err
	}
	return h.adminDone(c, "requirements", "code="+models.NormalizeProcedure(in.Code)+" plan="+in.PlanType)
}

// AuthzAdminRequirementDelete removes a row.
func (h *Handler) AuthzAdminRequirementDelete(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	if err := h.authz().DeleteRequirement(c.UserContext(), id); err != nil {
		return err
	}
	return h.adminDone(c, "requirements", fmt.Sprintf("deleted %d", id))
}

// AuthzAdminImport imports the requirements list from a CSV file (all rows or none).
func (h *Handler) AuthzAdminImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"rq-file": "Choose a CSV file to import."}, nil)
	}
	if fh.Size > 5<<20 {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"rq-file": "The file is larger than 5 MB."}, nil)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 5<<20))
	if err != nil {
		return err
	}
	n, problems, err := h.authz().ImportRequirements(c.UserContext(), bytes.NewReader(b), h.now())
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"rq-file": "The file was not imported; nothing changed."}, problems)
	}
	h.audit(c, models.AuditEntry{Action: "authorization.settings", ObjectType: "settings", ObjectID: "requirements", Detail: fmt.Sprintf("imported %d rows", n)})
	h.flash(c, "success", fmt.Sprintf("Imported %d rows.", n))
	return c.Redirect("/admin/authorizations", fiber.StatusSeeOther)
}

// AuthzAdminClocks saves the decision clocks: all of them, or none when one is wrong.
func (h *Handler) AuthzAdminClocks(c *fiber.Ctx) error {
	var f models.ClockForm
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
	}
	rules, _ := f.Rules()
	for _, r := range rules {
		if err := h.authz().SetClockRule(c.UserContext(), r); err != nil {
			return err
		}
	}
	return h.adminDone(c, "clocks", "")
}

// AuthzAdminHoliday adds or removes a holiday.
func (h *Handler) AuthzAdminHoliday(c *fiber.Ctx) error {
	var in models.HolidayInput
	if errs := h.bindForm(c, &in); errs != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
	}
	day := in.Date()
	if in.Remove != "" {
		if err := h.authz().RemoveHoliday(c.UserContext(), day); err != nil {
			return err
		}
		return h.adminDone(c, "holidays", "removed "+day)
	}
	if err := h.authz().AddHoliday(c.UserContext(), day, in.Name); err != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"hol-name": "Name the holiday (up to 80 characters)."}, nil)
	}
	return h.adminDone(c, "holidays", "added "+day)
}

// AuthzAdminReason adds a reason, or retires or restores one.
func (h *Handler) AuthzAdminReason(c *fiber.Ctx) error {
	var in models.ReasonInput
	if errs := h.bindForm(c, &in); errs != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
	}
	if id := in.ReasonID(); id != 0 {
		active := in.Active == "1"
		if err := h.authz().SetReasonActive(c.UserContext(), id, active); err != nil {
			return err
		}
		return h.adminDone(c, "reasons", fmt.Sprintf("reason %d active=%d", id, map[bool]int{false: 0, true: 1}[active]))
	}
	err := h.authz().AddReason(c.UserContext(), in)
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, fe, nil)
	}
	if err != nil {
		return err
	}
	return h.adminDone(c, "reasons", "added")
}
