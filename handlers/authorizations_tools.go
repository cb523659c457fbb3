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

// AuthzCodeSearch is the plain code search page (works without JavaScript): diagnosis
// or procedure codes by code or by words. Codes and words are not health information.
func (h *Handler) AuthzCodeSearch(c *fiber.Ctx) error {
	kind := c.Query("kind", models.SearchDiagnosis)
	if kind != models.SearchDiagnosis && kind != models.SearchProcedure {
		kind = models.SearchDiagnosis
	}
	q := strings.TrimSpace(utils.CopyString(c.Query("q")))
	data := fiber.Map{"Kind": kind, "Q": q, "Errors": models.FieldErrors{}}
	if len(q) > 100 {
		data["Errors"] = models.FieldErrors{"cs-q": "Type at most 100 characters."}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/codes", "Code search", data)
	}
	if q != "" {
		data["Results"] = models.SearchCodes(kind, q, 100)
		data["Searched"] = true
	}
	return h.render(c, fiber.StatusOK, "pages/authorizations/codes", "Code search", data)
}

// AuthzCodeSuggest answers a code field as it is typed (HTMX): a <datalist> of up to 12
// matching codes for the field's list. It reads the field's own value (dx or code).
func (h *Handler) AuthzCodeSuggest(c *fiber.Ctx) error {
	kind := c.Query("kind")
	q := c.Query("q")
	if kind == models.SearchDiagnosis && q == "" {
		q = c.Query("dx")
	}
	if kind == models.SearchProcedure && q == "" {
		q = c.Query("code")
	}
	list := c.Query("list")
	if !validListID(list) || (kind != models.SearchDiagnosis && kind != models.SearchProcedure) {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "Unknown code list.")
	}
	q = strings.TrimSpace(utils.CopyString(q))
	var res []models.Code
	if len(q) >= 2 && len(q) <= 100 {
		res = models.SearchCodes(kind, q, 12)
	}
	return h.renderFragment(c, fiber.StatusOK, "partials/authorizations/suggest", fiber.Map{"List": list, "Codes": res})
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

// AuthzRequiredLookup answers "is an authorization required?" for a procedure code and
// plan type (a GET form: codes are not health information).
func (h *Handler) AuthzRequiredLookup(c *fiber.Ctx) error {
	code := strings.TrimSpace(utils.CopyString(c.Query("code")))
	plan := c.Query("plan_type")
	if plan == "" {
		if s := currentSession(c); s != nil && models.ValidPlanType(s.PlanType) {
			plan = s.PlanType
		} else {
			plan = models.PlanCommercial
		}
	}
	data := fiber.Map{"Code": code, "Plan": plan, "PlanTypes": models.PlanTypes, "Errors": models.FieldErrors{}}
	if code == "" {
		return h.render(c, fiber.StatusOK, "pages/authorizations/required", "Is an authorization required?", data)
	}
	if len(code) > 20 {
		data["Errors"] = models.FieldErrors{"rq-code": "That is too long to be a procedure code."}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/required", "Is an authorization required?", data)
	}
	a, err := h.authz().IsRequired(c.UserContext(), code, plan)
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		errs := models.FieldErrors{}
		if m, ok := fe["code"]; ok {
			errs["rq-code"] = m
		}
		if m, ok := fe["plan_type"]; ok {
			errs["rq-plan"] = m
		}
		data["Errors"] = errs
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/required", "Is an authorization required?", data)
	}
	if err != nil {
		return err
	}
	data["Answer"] = a
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
	return h.render(c, fiber.StatusOK, "pages/authorizations/requirements", "Services that need prior authorization", fiber.Map{"By": by, "PlanTypes": models.PlanTypes})
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
	return h.render(c, fiber.StatusOK, "pages/authorizations/sheets", "Smart Sheets", fiber.Map{"Sheets": models.SmartSheets})
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
	return h.render(c, fiber.StatusOK, "pages/authorizations/sheet_print", sh.Title+" · Smart Sheet", fiber.Map{"S": sh, "Codes": codes})
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

func (h *Handler) metricsYear(c *fiber.Ctx) (int, error) {
	year := h.now().In(h.planZone()).Year()
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return 0, fiber.NewError(fiber.StatusUnprocessableEntity, "Choose a year from the list.")
		}
		year = n
	}
	return year, nil
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
	return h.render(c, fiber.StatusOK, "pages/authorizations/metrics", "Prior authorization metrics", fiber.Map{"M": m, "PlanTypes": models.PlanTypes})
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

// AuthzAdmin is the plan admin's page: decision clocks, holidays, decision reasons and
// the list of procedures that need authorization (with CSV import).
func (h *Handler) AuthzAdmin(c *fiber.Ctx) error {
	return h.renderAuthzAdmin(c, fiber.StatusOK, models.FieldErrors{}, nil)
}

func (h *Handler) renderAuthzAdmin(c *fiber.Ctx, status int, errs models.FieldErrors, problems []string) error {
	ctx := c.UserContext()
	a := h.authz()
	clocks, err := a.ClockRules(ctx)
	if err != nil {
		return err
	}
	hol, err := a.HolidayList(ctx)
	if err != nil {
		return err
	}
	reasons, err := a.Reasons(ctx, "")
	if err != nil {
		return err
	}
	reqs, err := a.Requirements(ctx, "")
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/authorizations/admin", "Authorization settings", fiber.Map{"Clocks": clocks, "Holidays": hol, "Reasons": reasons,
		"Reqs": reqs, "Errors": errs, "Problems": problems, "PlanTypes": models.PlanTypes, "Services": models.ServiceTypes})
}

func (h *Handler) adminDone(c *fiber.Ctx, what, detail string) error {
	h.audit(c, models.AuditEntry{Action: "authorization.settings", ObjectType: "settings", ObjectID: what, Detail: detail})
	h.flash(c, "success", "Saved.")
	return c.Redirect("/admin/authorizations", fiber.StatusSeeOther)
}

// AuthzAdminRequirement adds or changes a row of the requirements list.
func (h *Handler) AuthzAdminRequirement(c *fiber.Ctx) error {
	in := models.RequirementInput{Code: utils.CopyString(c.FormValue("code")), PlanType: c.FormValue("plan_type"), Required: c.FormValue("required"),
		ServiceType: c.FormValue("service_type"), Note: utils.CopyString(c.FormValue("note"))}
	if len(in.Code) > 20 {
		in.Code = in.Code[:20]
	}
	err := h.authz().SaveRequirement(c.UserContext(), in, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		errs := models.FieldErrors{}
		for k, v := range fe {
			errs["rq-"+k] = v
		}
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
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

// AuthzAdminClocks saves the decision clocks.
func (h *Handler) AuthzAdminClocks(c *fiber.Ctx) error {
	for _, p := range models.PlanTypes {
		for _, u := range []string{models.UrgencyUrgent, models.UrgencyStandard} {
			k := p.Value + "_" + u
			amount, err := strconv.Atoi(c.FormValue(k + "_amount"))
			if err != nil {
				return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"clk-" + k: "Enter a whole number from 1 to 720."}, nil)
			}
			if err := h.authz().SetClockRule(c.UserContext(), models.ClockRule{PlanType: p.Value, Urgency: u, Amount: amount, Unit: c.FormValue(k + "_unit")}); err != nil {
				return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"clk-" + k: "Enter a whole number from 1 to 720 and a unit."}, nil)
			}
		}
	}
	return h.adminDone(c, "clocks", "")
}

// AuthzAdminHoliday adds or removes a holiday.
func (h *Handler) AuthzAdminHoliday(c *fiber.Ctx) error {
	day, ok := models.ParseUSDate(strings.TrimSpace(c.FormValue("day")))
	if !ok {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"hol-day": "Enter the date as MM/DD/YYYY."}, nil)
	}
	if c.FormValue("remove") != "" {
		if err := h.authz().RemoveHoliday(c.UserContext(), day); err != nil {
			return err
		}
		return h.adminDone(c, "holidays", "removed "+day)
	}
	if err := h.authz().AddHoliday(c.UserContext(), day, strings.TrimSpace(utils.CopyString(c.FormValue("name")))); err != nil {
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, models.FieldErrors{"hol-name": "Name the holiday (up to 80 characters)."}, nil)
	}
	return h.adminDone(c, "holidays", "added "+day)
}

// AuthzAdminReason adds a reason, or retires or restores one.
func (h *Handler) AuthzAdminReason(c *fiber.Ctx) error {
	if id, err := strconv.ParseInt(c.FormValue("id"), 10, 64); err == nil && id > 0 {
		if err := h.authz().SetReasonActive(c.UserContext(), id, c.FormValue("active") == "1"); err != nil {
			return err
		}
		return h.adminDone(c, "reasons", fmt.Sprintf("reason %d active=%s", id, c.FormValue("active")))
	}
	err := h.authz().AddReason(c.UserContext(), c.FormValue("kind"), utils.CopyString(c.FormValue("text")))
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		errs := models.FieldErrors{}
		for k, v := range fe {
			errs["rs-"+k] = v
		}
		return h.renderAuthzAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
	}
	if err != nil {
		return err
	}
	return h.adminDone(c, "reasons", "added")
}
