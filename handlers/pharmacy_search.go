package handlers

import (
	"errors"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// DrugsPerPage is the page size of the drug list search.
const DrugsPerPage = 25

// rxToday is the plan's calendar date (midnight UTC of the plan-zone date): which drug
// list version is in force, which change markers still show, which report months exist.
func (h *Handler) rxToday() time.Time {
	t, err := time.Parse(models.DateFormat, h.today())
	if err != nil {
		return h.db.Now()
	}
	return t
}

// drugForm is the drug search as typed (models.DrugSearch), its page, its problems and
// its validated query.
type drugForm struct {
	models.DrugSearch
	RawPage string `query:"page" form:"-"`

	Page   int                `query:"-" form:"-"`
	Errors models.FieldErrors `query:"-" form:"-"`
	Q      models.DrugQuery   `query:"-" form:"-"`
}

// Query is the search's query string (without the page), for links, print and CSV. It
// is URL-encoded by url.Values, so templates may place it after "?" as it is.
func (f *drugForm) Query() template.URL {
	v := url.Values{}
	v.Set("list", f.List)
	if f.Text != "" {
		v.Set("q", f.Text)
	}
	if f.Tier != "" {
		v.Set("tier", f.Tier)
	}
	if f.Flag != "" {
		v.Set("flag", f.Flag)
	}
	return template.URL(v.Encode()) //nolint:gosec // encoded by url.Values
}

// PageURL links to page n of the same search.
func (f *drugForm) PageURL(n int) string {
	return "/pharmacy?" + string(f.Query()) + "&page=" + strconv.Itoa(n)
}

// NoTiers tells whether the list has no tiers (the Medi-Cal Rx CDL).
func (f *drugForm) NoTiers() bool { return f.List == models.DrugListMediCalCDL }

// rxChoice is one option of a select.
type rxChoice struct {
	Value, Label string
	Checked      bool
}

// TierChoices are the tier filter's options for the list.
func (f *drugForm) TierChoices() []rxChoice {
	var out []rxChoice
	for t := 1; t <= models.MaxTier(f.List); t++ {
		out = append(out, rxChoice{Value: strconv.Itoa(t), Label: models.TierLabel(f.List, t), Checked: strconv.Itoa(t) == f.Tier})
	}
	return out
}

// defaultDrugList is the list of the session's plan type for office users, else the
// Commercial PDL.
func (h *Handler) defaultDrugList(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil && !u.IsPlanStaff() {
		if s := currentSession(c); s != nil && models.ValidPlanType(s.PlanType) {
			return models.DrugListFor(s.PlanType)
		}
	}
	return models.DrugListCommercial
}

// readDrugForm takes the search through the form pipeline. Bad values get a message
// next to their field; nothing typed is lost.
func (h *Handler) readDrugForm(c *fiber.Ctx) *drugForm {
	f := &drugForm{DrugSearch: models.DrugSearch{DefaultList: h.defaultDrugList(c)}}
	f.Errors = h.bindForm(c, f)
	f.List = f.ListOrDefault()
	if _, bad := f.Errors["rx-list"]; bad {
		f.List = models.DrugListCommercial
	}
	f.Page, _ = strconv.Atoi(f.RawPage)
	if f.Page < 1 || f.Page > 100000 {
		f.Page = 1
	}
	f.Q = f.DrugQuery(f.Page, DrugsPerPage, h.today())
	return f
}

// drugListChoices are the list picker's options.
func drugListChoices(chosen string) []rxChoice {
	out := make([]rxChoice, len(models.DrugLists))
	for i, l := range models.DrugLists {
		out[i].Value, out[i].Label, out[i].Checked = l, models.DrugListLabel(l), l == chosen
	}
	return out
}

// pharmacyView is the data of pages/pharmacy/index: the search as typed and, when it
// is valid and the list is published, the version in force, one page of drugs, the
// drugs removed lately and the next version.
type pharmacyView struct {
	View
	F         *drugForm
	Lists     []rxChoice
	Flags     []struct{ Value, Label string }
	ListLabel string
	Errors    models.FieldErrors
	V         *models.FormularyVersion
	Page      *models.DrugPage
	Removed   []models.RemovedDrug
	Next      *models.FormularyVersion
}

func newPharmacyView(f *drugForm) *pharmacyView {
	return &pharmacyView{F: f, Lists: drugListChoices(f.List), Flags: models.DrugFlags, ListLabel: models.DrugListLabel(f.List), Errors: f.Errors}
}

// PharmacySearch is the drug list page: a list picker, the search with tier and flag
// filters, ranked results with their flags and "changed" markers, paging, print and CSV.
// The lists are public documents, so the page is open to everyone.
func (h *Handler) PharmacySearch(c *fiber.Ctx) error {
	f := h.readDrugForm(c)
	data := newPharmacyView(f)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/pharmacy/index", "Pharmacy", data)
	}
	ctx := c.UserContext()
	fs := h.st.Formulary
	v, err := fs.Current(ctx, f.List, h.rxToday())
	if isNotFound(err) {
		return h.render(c, fiber.StatusOK, "pages/pharmacy/index", "Pharmacy", data)
	}
	if err != nil {
		return err
	}
	f.Q.VersionID = v.ID
	page, err := fs.Search(ctx, f.Q)
	if err != nil {
		return err
	}
	removed, err := fs.Removed(ctx, f.List, f.Q.Today)
	if err != nil {
		return err
	}
	next, err := fs.Upcoming(ctx, f.List, h.rxToday())
	if err != nil && !isNotFound(err) {
		return err
	}
	data.V, data.Page, data.Removed, data.Next = v, page, removed, next
	return h.render(c, fiber.StatusOK, "pages/pharmacy/index", "Pharmacy", data)
}

// errBadDrugSearch marks print and CSV requests whose filters were refused: they get
// the search page with the messages (422), as the search itself does.
var errBadDrugSearch = errors.New("bad drug search")

// badDrugSearch renders the search page with the form's messages.
func (h *Handler) badDrugSearch(c *fiber.Ctx, f *drugForm) error {
	return h.render(c, fiber.StatusUnprocessableEntity, "pages/pharmacy/index", "Pharmacy", newPharmacyView(f))
}

// pharmacyAll runs the search without paging (print and CSV).
func (h *Handler) pharmacyAll(c *fiber.Ctx) (*drugForm, *models.FormularyVersion, *models.DrugPage, error) {
	f := h.readDrugForm(c)
	if len(f.Errors) > 0 {
		return f, nil, nil, errBadDrugSearch
	}
	fs := h.st.Formulary
	v, err := fs.Current(c.UserContext(), f.List, h.rxToday())
	if err != nil {
		return f, nil, nil, err
	}
	f.Q.VersionID, f.Q.PerPage, f.Q.Page = v.ID, 0, 1
	page, err := fs.Search(c.UserContext(), f.Q)
	return f, v, page, err
}

// pharmacyPrintView is the data of pages/pharmacy/print: every drug the search keeps.
type pharmacyPrintView struct {
	View
	F         *drugForm
	V         *models.FormularyVersion
	Page      *models.DrugPage
	ListLabel string
	Today     string
}

// PharmacyPrint is the printable drug list (the whole list, or what the filters keep),
// with the plan name, the list, its version and effective date at the top.
func (h *Handler) PharmacyPrint(c *fiber.Ctx) error {
	f, v, page, err := h.pharmacyAll(c)
	if errors.Is(err, errBadDrugSearch) {
		return h.badDrugSearch(c, f)
	}
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/pharmacy/print", models.DrugListLabel(f.List), &pharmacyPrintView{F: f, V: v, Page: page,
		ListLabel: models.DrugListLabel(f.List), Today: h.rxToday().Format(models.DateFormat)})
}

// drugCSVHeader is the download's header: the import's columns plus the effective date
// and the change marker, so a downloaded list can be edited and imported again.
func drugCSVHeader(list string) []string {
	if list == models.DrugListMediCalCDL {
		return []string{"generic_name", "brand_name", "strength", "form", "drug_class", "prior_auth", "quantity_limit", "effective_on"}
	}
	return append(append([]string{}, models.FormularyColumns...), "effective_on", "changed_on", "change")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// PharmacyCSV downloads the drug list (or the filtered part of it) as CSV.
func (h *Handler) PharmacyCSV(c *fiber.Ctx) error {
	f, v, page, err := h.pharmacyAll(c)
	if errors.Is(err, errBadDrugSearch) {
		return h.badDrugSearch(c, f)
	}
	if err != nil {
		return err
	}
	return h.sendDrugCSV(c, f.List, v, page.Drugs)
}

// sendDrugCSV writes drugs as a formula-safe CSV attachment.
func (h *Handler) sendDrugCSV(c *fiber.Ctx, list string, v *models.FormularyVersion, drugs []models.Drug) error {
	rows := make([][]string, 0, len(drugs))
	for _, d := range drugs {
		if list == models.DrugListMediCalCDL {
			rows = append(rows, []string{d.GenericName, d.BrandName, d.Strength, d.Form, d.Class, yesNo(d.PriorAuth), d.QuantityLimit, v.EffectiveOn})
		} else {
			rows = append(rows, []string{d.GenericName, d.BrandName, d.Strength, d.Form, d.Class, strconv.Itoa(d.Tier), yesNo(d.PriorAuth),
				yesNo(d.StepTherapy), d.QuantityLimit, yesNo(d.Specialty), v.EffectiveOn, d.ChangedOn, d.Change})
		}
	}
	name := strings.ReplaceAll(list, "-cdl", "-rx-contract-drug-list")
	if list != models.DrugListMediCalCDL {
		name += "-preferred-drug-list"
	}
	return h.sendCSV(c, name+"-"+v.Version+".csv", drugCSVHeader(list), rows)
}

// TierLabel names tier t of the form's list.
func (f *drugForm) TierLabel(t int) string { return models.TierLabel(f.List, t) }
