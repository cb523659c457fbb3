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
	Back    string
	Flash   *Flash
	Nav     []NavItem
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
	if !u.IsPlanStaff() {
		tins, err := h.st.Accounts.TINs(c.UserContext(), u.AccountID)
		if err != nil {
			return nil, err
		}
		sess := currentSession(c)
		p.Context = &ContextBar{TINs: tins, TINID: sess.TINID, PlanType: sess.PlanType, PlanTypes: models.PlanTypes}
	}
	return p, nil
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

// frameData puts the frame into data. A fiber.Map is still accepted while the last
// pages move to typed data; anything else is a programming error.
func frameData(data any, p *Page, ea *models.EmergencyAccess) (any, error) {
	switch d := data.(type) {
	case viewData:
		v := d.view()
		v.P, v.Emergency = p, ea
		return d, nil
	case fiber.Map:
		if d == nil {
			d = fiber.Map{}
		}
		d["P"] = p
		if ea != nil {
			d["Emergency"] = ea
		}
		return d, nil
	case nil:
		return &View{P: p, Emergency: ea}, nil
	}
	return nil, fmt.Errorf("render: page data %T does not embed handlers.View", data)
}

// render executes a full page with status. Pages with forms for visitors who are not
// signed in call h.csrfToken first, so that the page carries a token; other anonymous
// pages (the home page, the library) start no session and write nothing.
func (h *Handler) render(c *fiber.Ctx, status int, name, title string, data any) error {
	p, err := h.page(c, title)
	if err != nil {
		return err
	}
	if status >= 400 {
		// An error page does not repeat the refused URL; the bar goes back by Referer.
		p.Back = ""
	}
	ea, _ := c.Locals(emergencyKey).(*models.EmergencyAccess)
	if data, err = frameData(data, p, ea); err != nil {
		return err
	}
	c.Set(fiber.HeaderVary, "HX-Request")
	if p.User != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	c.Status(status)
	return h.execute(c, name, data)
}

// renderFragment executes a partial alone (for HTMX swaps), with the frame data as .P.
func (h *Handler) renderFragment(c *fiber.Ctx, status int, name string, data any) error {
	p := &Page{Demo: h.opts.Demo, PlanName: h.opts.PlanName, User: currentUser(c)}
	p.CSRF = h.pageCSRF(c)
	ea, _ := c.Locals(emergencyKey).(*models.EmergencyAccess)
	data, err := frameData(data, p, ea)
	if err != nil {
		return err
	}
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
func (h *Handler) respond(c *fiber.Ctx, status int, page, fragment, title string, data any) error {
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
		"asset":    h.assets.url,
		"tin":      models.FormatTIN,
		"money":    formatMoney,
		"date":     h.formatDate,
		"datetime": h.formatDateTime,
		"planType": models.PlanTypeLabel,
		// medicalContacts feeds partials/medical_contacts, which any page may include.
		"medicalContacts": func() []models.MedicalManagementContact { return models.MedicalManagementContacts },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"add":   func(a, b int) int { return a + b },
		"sub":   func(a, b int) int { return a - b },
		"eq2":   func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"upper": strings.ToUpper,
		"lower": strings.ToLower,
		"title": func(s string) string {
			s = strings.ReplaceAll(s, "_", " ")
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
	}
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

// formatDate shows an ISO date (or the date part of a text) as MM/DD/YYYY.
func formatDate(iso string) string {
	if len(iso) < 10 {
		return iso
	}
	t, err := time.Parse(models.DateFormat, iso[:10])
	if err != nil {
		return iso
	}
	return t.Format("01/02/2006")
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
