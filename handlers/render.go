package handlers

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// Page is what the frame of every page needs: who is signed in, the CSRF token, the
// navigation, the TIN / plan-type bar and the flash message. Templates read it as .P.
type Page struct {
	Title    string
	User     *models.User
	CSRF     string
	Demo     bool
	PlanName string
	Path     string
	// Back is where the context bar returns after a change: this page, with its query.
	Back  string
	Flash *Flash
	Nav   []NavItem
	// NavHTML is Nav written out once in Go for partials/head (see navHTML).
	NavHTML NavHTML
	Context *ContextBar
	// IdleSeconds is how long until idle sign-out, for the warning dialog.
	IdleSeconds int
}

// NavItem is one link of the top navigation.
type NavItem struct {
	Label, Href string
	Current     bool
	Badge       int
	BadgeURL    string
}

// ContextBar is the "Viewing dashboard for: TIN / Plan type" bar of office pages.
type ContextBar struct {
	TINs      []models.TIN
	TINID     int64
	PlanType  string
	PlanTypes []models.PlanType
	// TINOptions and PlanOptions are the two selectors' <option> elements, written once
	// in Go (newContextBar) for the same reason as NavHTML.
	TINOptions, PlanOptions template.HTML
}

// newContextBar is the bar for the chosen TIN and plan type, its options written out.
func newContextBar(tins []models.TIN, tinID int64, planType string) *ContextBar {
	b := &ContextBar{TINs: tins, TINID: tinID, PlanType: planType, PlanTypes: models.PlanTypes}
	esc := template.HTMLEscapeString
	var o strings.Builder
	for _, t := range tins {
		o.WriteString(`<option value="`)
		o.WriteString(strconv.FormatInt(t.ID, 10))
		o.WriteByte('"')
		if t.ID == tinID {
			o.WriteString(` selected`)
		}
		o.WriteByte('>')
		o.WriteString(esc(t.Display()))
		if t.Status != "verified" {
			o.WriteString(` (`)
			o.WriteString(esc(t.Status))
			o.WriteByte(')')
		}
		o.WriteString(`</option>`)
	}
	b.TINOptions = template.HTML(o.String())
	o.Reset()
	for _, pt := range b.PlanTypes {
		o.WriteString(`<option value="`)
		o.WriteString(esc(pt.Value))
		o.WriteByte('"')
		if pt.Value == planType {
			o.WriteString(` selected`)
		}
		o.WriteByte('>')
		o.WriteString(esc(pt.Label))
		o.WriteString(`</option>`)
	}
	b.PlanOptions = template.HTML(o.String())
	return b
}

// TINDisplay is the chosen TIN as 95-1234567, or "" when none is chosen.
func (b *ContextBar) TINDisplay() string {
	for _, t := range b.TINs {
		if t.ID == b.TINID {
			return t.Display()
		}
	}
	return ""
}

// PlanLabel is the chosen plan type in words.
func (b *ContextBar) PlanLabel() string { return models.PlanTypeLabel(b.PlanType) }

// Flash is a one-time message shown at the top of the next page.
type Flash struct{ Kind, Text string }

// localFlash holds a message for this response itself (no cookie).
const localFlash = "portico.flash"

// flash stores a message for the next page (Post/Redirect/Get). Text must never hold
// health information: the cookie lives in the browser.
func (h *Handler) flash(c *fiber.Ctx, kind, text string) {
	c.Cookie(&fiber.Cookie{Name: "portico_flash", Value: kind + ":" + text, Path: "/", HTTPOnly: true,
		Secure: h.opts.TLS, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 60})
}

func (h *Handler) takeFlash(c *fiber.Ctx) *Flash {
	if f, ok := c.Locals(localFlash).(*Flash); ok {
		return f
	}
	v := c.Cookies("portico_flash")
	if v == "" {
		return nil
	}
	c.Cookie(&fiber.Cookie{Name: "portico_flash", Value: "", Path: "/", HTTPOnly: true, Secure: h.opts.TLS, MaxAge: -1, Expires: time.Unix(0, 0)})
	kind, text, ok := strings.Cut(v, ":")
	if !ok {
		return nil
	}
	switch kind {
	case "success", "info", "warning", "error":
	default:
		kind = "info"
	}
	return &Flash{Kind: kind, Text: utils.CopyString(text)}
}

// page builds the frame data for the current request.
func (h *Handler) page(c *fiber.Ctx, title string) (*Page, error) {
	p := &Page{Title: title, Demo: h.opts.Demo, PlanName: h.opts.PlanName, Path: utils.CopyString(c.Path()), Flash: h.takeFlash(c)}
	p.Back = p.Path
	if c.Method() == fiber.MethodGet {
		p.Back = utils.CopyString(c.OriginalURL())
	}
	u := currentUser(c)
	p.User = u
	p.CSRF = h.pageCSRF(c)
	if sess := currentSession(c); sess != nil {
		if u != nil {
			p.IdleSeconds = int(h.sessions().IdleRemaining(sess) / time.Second)
		}
	}
	if u == nil {
		return p, nil
	}
	p.Nav = h.navFor(c, u, p.Path)
	p.NavHTML = navHTML(p.Nav)
	if !u.IsPlanStaff() {
		tins, err := h.accountTINs(c, u)
		if err != nil {
			return nil, err
		}
		sess := currentSession(c)
		p.Context = newContextBar(tins, sess.TINID, sess.PlanType)
	}
	return p, nil
}

// localTINs keeps an office user's TINs for the rest of the request (accountTINs).
const localTINs = "portico.tins"

// accountTINs is the office user's account's TINs, read once per request: the frame's
// context bar and a page that lists by TIN (payment history) both need them. Only
// read-only uses go through it; a handler that changes TINs reads the store itself.
func (h *Handler) accountTINs(c *fiber.Ctx, u *models.User) ([]models.TIN, error) {
	if tins, ok := c.Locals(localTINs).([]models.TIN); ok {
		return tins, nil
	}
	tins, err := h.st.Accounts.UserTINs(c.UserContext(), u)
	if err != nil {
		return nil, err
	}
	c.Locals(localTINs, tins)
	return tins, nil
}

// verifiedTINIDs is the row IDs of the office user's verified TINs, from the TINs the
// request has loaded (accountTINs) rather than a query of its own.
func (h *Handler) verifiedTINIDs(c *fiber.Ctx, u *models.User) ([]int64, error) {
	tins, err := h.accountTINs(c, u)
	if err != nil {
		return nil, err
	}
	return models.VerifiedTINIDs(tins), nil
}

// navFor lists the top navigation the user may use; nothing they cannot open is shown.
func (h *Handler) navFor(c *fiber.Ctx, u *models.User, path string) []NavItem {
	var items []NavItem
	add := func(label, href string, ok bool) {
		if ok {
			items = append(items, NavItem{Label: label, Href: href, Current: path == href || strings.HasPrefix(path, href+"/")})
		}
	}
	office := !u.IsPlanStaff()
	add("Dashboard", "/dashboard", true)
	add("Eligibility", "/eligibility", office && u.Can(models.PermEligibility))
	add("Patients", "/patients", office && u.Can(models.PermEligibility))
	// Reports joins the navigation when their areas are built; a link
	// that leads to "page not found" would only cost office staff time.
	add("Authorizations", "/authorizations", office && u.Can(models.PermMedicalManagement))
	add("Review queue", "/authorizations/review", u.IsPlanStaff() && u.HasRole(models.RoleReviewer))
	add("Claims", "/claims", office && u.Can(models.PermClaims))
	add("Claim disputes", "/claims/disputes", claimsStaff(u))
	add("Reports", "/reports", office && u.Can(models.PermReports))
	if u.Can(models.PermMessaging) {
		items = append(items, NavItem{Label: "Messaging", Href: "/messages", Current: strings.HasPrefix(path, "/messages"),
			Badge: h.requestUnread(c, u), BadgeURL: "/messages/unread"})
	}
	add("ProviderSearch", "/providers", true)
	add("Pharmacy", "/pharmacy", true)
	add("Library", "/library", true)
	add("Care management", "/care", u.HasRole(models.RoleCaseManager))
	add("Library editor", "/library/edit", u.HasRole(models.RoleEditor))
	add("Privacy", "/privacy/requests", u.HasRole(models.RolePrivacy))
	add("Audit", "/audit", u.HasRole(models.RolePrivacy))
	add("Admin", "/admin", u.HasRole(models.RoleAdmin))
	add("Demo controls", "/admin/demo", h.opts.Demo && u.HasRole(models.RoleAdmin))
	add("Account", "/account", office && u.IsManager)
	add("Help", "/help", true)
	// Only the most specific item is current: /admin/demo is "Demo controls", not also "Admin".
	best := -1
	for i, it := range items {
		if it.Current && (best < 0 || len(it.Href) > len(items[best].Href)) {
			best = i
		}
	}
	for i := range items {
		items[i].Current = i == best
	}
	return items
}

// NavHTML is the top navigation as markup: Wide is the list items of the wide bar,
// MenuCurrent the current page's name beside the phone menu's button, Menu the phone
// menu's items. html/template makes a reflective call for every field and every escaper
// of every item; written here once, the navigation costs a few string appends instead of
// about a hundred such calls on every page.
type NavHTML struct {
	Wide, MenuCurrent, Menu template.HTML
}

// navHTML writes items as partials/head used to range over them, byte for byte.
func navHTML(items []NavItem) NavHTML {
	var wide, cur, menu strings.Builder
	wide.Grow(160 * len(items))
	menu.Grow(80 * len(items))
	esc := template.HTMLEscapeString
	open := func(b *strings.Builder, it NavItem) {
		b.WriteString(`<li><a href="`)
		b.WriteString(esc(it.Href))
		b.WriteByte('"')
		if it.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteByte('>')
		b.WriteString(esc(it.Label))
	}
	for _, it := range items {
		open(&wide, it)
		if it.BadgeURL != "" {
			wide.WriteString(`<span class="badge" id="unread-badge" data-hx-get="`)
			wide.WriteString(esc(it.BadgeURL))
			wide.WriteString(`" data-hx-trigger="every 30s" data-hx-swap="outerHTML" data-hx-headers='{"X-Portico-Poll":"1"}'>`)
			if it.Badge != 0 {
				wide.WriteString(strconv.Itoa(it.Badge))
				wide.WriteString(`<span class="visually-hidden"> unread</span>`)
			}
			wide.WriteString(`</span>`)
		}
		wide.WriteString(`</a></li>`)

		if it.Current {
			cur.WriteString(`<span class="nav-menu-current"> · `)
			cur.WriteString(esc(it.Label))
			cur.WriteString(`</span>`)
		}

		open(&menu, it)
		if it.Badge != 0 {
			menu.WriteString(` <span class="badge">`)
			menu.WriteString(strconv.Itoa(it.Badge))
			menu.WriteString(`<span class="visually-hidden"> unread</span></span>`)
		}
		menu.WriteString(`</a></li>`)
	}
	return NavHTML{Wide: template.HTML(wide.String()), MenuCurrent: template.HTML(cur.String()), Menu: template.HTML(menu.String())}
}

// View is the part of every page's data that the frame reads: .P (who is signed in, the
// navigation, the context bar) and .Emergency (the break-the-glass banner). Each page's
// data is its own struct that embeds View, so that a template naming a field its handler
// does not have fails when the page is rendered (TestEveryPageRenders) instead of
// showing an empty cell. Fragments take the same struct as their page.
type View struct {
	P         *Page
	Emergency *models.EmergencyAccess
}

func (v *View) view() *View { return v }

// viewData is a page's typed data: any struct embedding View.
type viewData interface{ view() *View }

// frameData puts the frame into data; a page with nothing of its own passes nil.
func frameData(data viewData, p *Page, ea *models.EmergencyAccess) viewData {
	if data == nil {
		data = &View{}
	}
	v := data.view()
	v.P, v.Emergency = p, ea
	return data
}

// render executes a full page with status. Pages with forms for visitors who are not
// signed in call h.csrfToken first, so that the page carries a token; other anonymous
// pages (the home page, the library) start no session and write nothing.
func (h *Handler) render(c *fiber.Ctx, status int, name, title string, data viewData) error {
	p, err := h.page(c, title)
	if err != nil {
		return err
	}
	if status >= 400 {
		// An error page does not repeat the refused URL; the bar goes back by Referer.
		p.Back = ""
	}
	ea, _ := c.Locals(emergencyKey).(*models.EmergencyAccess)
	data = frameData(data, p, ea)
	c.Set(fiber.HeaderVary, "HX-Request")
	if p.User != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	c.Status(status)
	return h.execute(c, name, data)
}

// renderFragment executes a partial alone (for HTMX swaps), with the frame data as .P.
func (h *Handler) renderFragment(c *fiber.Ctx, status int, name string, data viewData) error {
	p := &Page{Demo: h.opts.Demo, PlanName: h.opts.PlanName, User: currentUser(c)}
	p.CSRF = h.pageCSRF(c)
	ea, _ := c.Locals(emergencyKey).(*models.EmergencyAccess)
	data = frameData(data, p, ea)
	c.Set(fiber.HeaderVary, "HX-Request")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return h.execute(c, name, data)
}

// execute runs template name with data; Options.OnRender (tests) hears of every run.
func (h *Handler) execute(c *fiber.Ctx, name string, data any) error {
	err := c.Render(name, data)
	if h.opts.OnRender != nil {
		h.opts.OnRender(name, data, err)
	}
	return err
}

// respond is the one way a handler answers with HTML: for an htmx swap (not a boosted
// navigation) it renders fragment, the same partial the page includes, so the two cannot
// drift; otherwise the whole page. Both carry Vary: HX-Request, so no cache mixes them.
func (h *Handler) respond(c *fiber.Ctx, status int, page, fragment, title string, data viewData) error {
	if fragment != "" && isHTMX(c) && !historyRestore(c) {
		return h.renderFragment(c, status, fragment, data)
	}
	return h.render(c, status, page, title, data)
}

// isHTMX tells whether the request is an HTMX swap (not a boosted page navigation).
func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true"
}

// templateFuncs are the helpers templates may call. Formatting only; no rules.
func (h *Handler) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": h.assets.url,
		// claimRows and activityRows write the dashboard's table rows (render_rows.go).
		"claimRows":    h.claimRows,
		"activityRows": h.activityRows,
		"eligResult":   h.eligResult,
		// quickCheckCard writes the Quick Eligibility Check card after a check (render_rows.go).
		"quickCheckCard": h.quickCheckCard,
		// eopBody and patientsBody write an explanation of payment and the Patients page
		// (render_eop.go, render_patients.go); rosterRows and queueRows the rows of a
		// capitation report and the reviewer queue (render_list_rows.go).
		"eopBody":      h.eopBody,
		"rosterRows":   h.rosterRows,
		"patientsBody": h.patientsBody,
		"queueRows":    h.queueRows,
		// reportPicker and reportMembersBody write the provider reports' TIN and month
		// picker and a page of a member-level report (render_reports.go).
		"reportPicker":      reportPicker,
		"reportMembersBody": h.reportMembersBody,
		// pageHead and pageFoot write partials/head and partials/foot (render_frame.go).
		"pageHead": h.pageHead,
		"pageFoot": h.pageFoot,
		"tin":      models.FormatTIN,
		"money":    formatMoney,
		"date":     h.formatDate,
		"datetime": h.formatDateTime,
		"planType": models.PlanTypeLabel,
		// medicalContacts feeds partials/medical_contacts, which any page may include.
		"medicalContacts": func() []models.MedicalManagementContact { return models.MedicalManagementContacts },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				k, ok := kv[i].(string) // always, in our templates; fmt.Sprint is the slow way
				if !ok {
					k = fmt.Sprint(kv[i])
				}
				m[k] = kv[i+1]
			}
			return m
		},
		"summaryItems": h.forms.summaryItems,
		"add":          func(a, b int) int { return a + b },
		"sub":          func(a, b int) int { return a - b },
		"eq2": func(a, b any) bool {
			if as, ok := a.(string); ok {
				if bs, ok := b.(string); ok {
					return as == bs
				}
			}
			return fmt.Sprint(a) == fmt.Sprint(b)
		},
		"upper": strings.ToUpper,
		"lower": strings.ToLower,
		"title": titleWord,
	}
}

// titleWord shows a stored status word in a sentence: underscores to spaces, first
// letter upper case ("pending_info" is "Pending info").
func titleWord(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// formatMoney shows cents as $1,234.56. It runs for every amount cell of the list
// pages (an EOP page has hundreds), so it appends digits into one buffer instead of
// going through fmt (a tenth of its former cost, measured in BenchmarkFormatMoney).
func formatMoney(cents int64) string {
	var buf [32]byte
	b := buf[:0]
	u := uint64(cents)
	if cents < 0 {
		b = append(b, '-')
		u = -u
	}
	b = append(b, '$')
	var digits [20]byte
	whole := strconv.AppendUint(digits[:0], u/100, 10)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, d)
	}
	frac := u % 100
	b = append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
	return string(b)
}

// local is t in the plan's time zone (SPEC §11: stored times are UTC, shown times local).
func (h *Handler) local(t time.Time) time.Time { return t.In(h.opts.TimeZone) }

// today is the plan's calendar date now, as stored (YYYY-MM-DD).
func (h *Handler) today() string { return h.db.Today() }

// formatDate shows an ISO date as MM/DD/YYYY, as US office staff read it; a stored UTC
// instant shows the date it was in the plan's time zone.
func (h *Handler) formatDate(iso string) string {
	if len(iso) > 10 {
		if t, err := time.Parse(models.TimeFormat, iso); err == nil {
			return h.local(t).Format("01/02/2006")
		}
	}
	return formatDate(iso)
}

// formatDate shows an ISO date (or the date part of a text) as MM/DD/YYYY; a text that
// does not start with a valid date is shown as it is. It rearranges the digits instead
// of parsing and formatting a time.Time (every date of a list page's rows passes
// here); TestFormatDateMatchesTime compares it with time.Parse and Format.
func formatDate(iso string) string {
	if len(iso) < 10 || iso[4] != '-' || iso[7] != '-' {
		return iso
	}
	y, ok1 := digits(iso[0:4])
	m, ok2 := digits(iso[5:7])
	d, ok3 := digits(iso[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return iso
	}
	return iso[5:7] + "/" + iso[8:10] + "/" + iso[0:4]
}

// digits reads s, ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// daysIn is the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// formatDateTime shows a stored UTC instant in the plan's time zone, as office staff
// read a clock: 11/27/2026 9:05 AM PST.
func (h *Handler) formatDateTime(iso string) string {
	t, err := time.Parse(models.TimeFormat, iso)
	if err != nil {
		return iso
	}
	return h.local(t).Format("01/02/2006 3:04 PM MST")
}
