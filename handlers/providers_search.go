package handlers

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// providerForm is the ProviderSearch form as the user filled it.
type providerForm struct {
	Name, Specialty, Type, PlanType, Location, Language string
	Radius                                              int
	Accepting                                           bool
	Page                                                int
}

// providerSearchForm is ProviderSearch as sent. It is a GET (no member data), so results
// can be bookmarked and printed. Nothing is refused: a choice not on a list is no filter,
// a radius not offered is 25 miles, a page that is not a number the first, and long
// text is cut (readProviderForm).
type providerSearchForm struct {
	Name      string `query:"name"`
	Specialty string `query:"specialty"`
	Type      string `query:"type"`
	PlanType  string `query:"plan_type"`
	Location  string `query:"location"`
	Language  string `query:"language"`
	Radius    string `query:"radius"`
	Accepting string `query:"accepting"`
	Page      string `query:"page"`
	// Search marks a submitted form (even an empty one); Print asks for the print view.
	Search string `query:"search"`
	Print  string `query:"print"`
}

// providerTextMax is the longest name or location searched; no real one is longer.
const providerTextMax = 100

// readProviderForm reads the search and keeps only what the lists offer.
func (h *Handler) readProviderForm(c *fiber.Ctx, specialties []string) (f providerForm, searched, printView bool) {
	var in providerSearchForm
	_ = h.bindForm(c, &in)
	f = providerForm{Name: models.Truncate(in.Name, providerTextMax), Specialty: in.Specialty, Type: in.Type, PlanType: in.PlanType,
		Location: models.Truncate(in.Location, providerTextMax), Language: in.Language, Radius: atoiOr(in.Radius, 25),
		Accepting: in.Accepting != "", Page: atoiOr(in.Page, 1)}
	if !slices.Contains(specialties, f.Specialty) {
		f.Specialty = ""
	}
	if models.ProviderKindLabel(f.Type) == "" {
		f.Type = ""
	}
	if !models.ValidPlanType(f.PlanType) {
		f.PlanType = ""
	}
	if !slices.Contains(models.ProviderLanguages, f.Language) {
		f.Language = ""
	}
	if !slices.Contains(models.Radii, f.Radius) {
		f.Radius = 25
	}
	searched = in.Search != "" || f.Name != "" || f.Specialty != "" || f.Type != "" || f.Location != "" || f.Language != ""
	return f, searched, in.Print != ""
}

// atoiOr is s as a whole number, or def when it is not one.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// providersView is the data of ProviderSearch (pages/providers/search, its results
// partials/providers/results for HTMX) and of its print view (pages/providers/print).
type providersView struct {
	View
	Form        providerForm
	Results     *models.ProviderResults
	Searched    bool
	Specialties []string
	Kinds       []models.Option
	PlanTypes   []models.PlanType
	Languages   []string
	Radii       []int
	Today       string
}

// values is the form as query parameters (for paging and the print view).
func (f providerForm) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"name": f.Name, "specialty": f.Specialty, "type": f.Type, "plan_type": f.PlanType,
		"location": f.Location, "language": f.Language} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Location != "" {
		v.Set("radius", strconv.Itoa(f.Radius))
	}
	if f.Accepting {
		v.Set("accepting", "1")
	}
	v.Set("search", "1")
	return v
}

// PageURL is the address of another page of the same search.
func (f providerForm) PageURL(page int) string {
	v := f.values()
	v.Set("page", strconv.Itoa(page))
	return "/providers?" + v.Encode()
}

// PrintURL is the address of the print view of the same search.
func (f providerForm) PrintURL() string {
	v := f.values()
	v.Set("print", "1")
	return "/providers?" + v.Encode()
}

// ProviderSearch finds physicians, PPGs, hospitals and ancillary providers by name,
// specialty, type, plan type, city or ZIP and distance, accepting new patients and
// language. The form is a GET (no member data), so results can be bookmarked and printed.
func (h *Handler) ProviderSearch(c *fiber.Ctx) error {
	ctx := c.UserContext()
	dir := h.st.ProviderDirectory
	specialties, err := dir.Specialties(ctx)
	if err != nil {
		return err
	}
	f, searched, printView := h.readProviderForm(c, specialties)
	// Before a search, an office's form starts with the plan type of its context bar.
	if sess := currentSession(c); !searched && sess != nil && !currentUser(c).IsPlanStaff() && models.ValidPlanType(sess.PlanType) {
		f.PlanType = sess.PlanType
	}
	var res *models.ProviderResults
	if searched {
		q := models.ProviderQuery{Name: f.Name, Specialty: f.Specialty, Type: f.Type, PlanType: f.PlanType, Location: f.Location,
			RadiusMiles: f.Radius, Accepting: f.Accepting, Language: f.Language, Page: f.Page, PerPage: 20}
		if printView {
			q.Page, q.PerPage = 1, 200
		}
		if res, err = dir.Search(ctx, q); err != nil {
			return err
		}
	}
	data := &providersView{Form: f, Results: res, Searched: searched, Specialties: specialties, Kinds: models.ProviderKinds,
		PlanTypes: models.PlanTypes, Languages: models.ProviderLanguages, Radii: models.Radii, Today: h.today()}
	if printView {
		return h.render(c, fiber.StatusOK, "pages/providers/print", "ProviderSearch results", data)
	}
	return h.respond(c, fiber.StatusOK, "pages/providers/search", "partials/providers/results", "ProviderSearch", data)
}
