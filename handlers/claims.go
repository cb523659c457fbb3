package handlers

import (
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// claimFilter is the claims list's filter as typed, its problems and its query.
type claimFilter struct {
	models.ClaimFilter
	Errors models.FieldErrors
	Q      models.ClaimQuery
}

// readClaimFilter takes the filter through the form pipeline: status and page from a
// link or the form, the member-identifying fields from a POSTed form only.
func (h *Handler) readClaimFilter(c *fiber.Ctx, tins []int64, planType string) *claimFilter {
	f := &claimFilter{}
	f.Errors = h.bindForm(c, &f.ClaimFilter)
	f.Q, _ = f.ClaimFilter.Query(tins)
	f.Q.PlanType = planType
	return f
}

// claimStatusOption is one choice of the status filter.
type claimStatusOption struct{ Value, Label string }

func claimStatusOptions() []claimStatusOption {
	out := []claimStatusOption{{"", "Any status"}}
	for _, s := range models.ClaimStatuses {
		out = append(out, claimStatusOption{s, models.ClaimStatusLabel(s)})
	}
	return out
}

// claimsView is the data of pages/claims/index: the filter as typed and, when it was
// valid, one page of claims.
type claimsView struct {
	View
	F *claimFilter
	// StatusOptions are the status filter's options (claimStatusSelect) and FilterHidden
	// the filters as hidden inputs (claimFilterHidden), written once in Go.
	StatusOptions template.HTML
	FilterHidden  template.HTML
	ExportLimit   int
	Page          *models.ClaimPage
	Prev, Next    int
	HasNext       bool
	// Rows are the page's claims as table rows (claimListRows).
	Rows template.HTML
}

func newClaimsView(f *claimFilter) *claimsView {
	return &claimsView{F: f, StatusOptions: claimStatusSelect(f.Status), FilterHidden: claimFilterHidden(&f.ClaimFilter),
		ExportLimit: models.ClaimExportLimit}
}

// ClaimsList lists the account's claims, newest received first, 30 to a page with the
// total. Status and page may come as GET links (the dashboard links pending_info); the
// filter form is POSTed so that member IDs, claim numbers and dates stay out of URLs.
func (h *Handler) ClaimsList(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	ms := h.st.Members
	tins, plan, err := h.contextTINs(c, u)
	if err != nil {
		return err
	}
	f := h.readClaimFilter(c, tins, plan)
	data := newClaimsView(f)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/index", "Claims", data)
	}
	page, err := ms.ClaimList(ctx, f.Q)
	if err != nil {
		return err
	}
	data.Page, data.Prev, data.Next, data.HasNext = page, page.Page-1, page.Page+1, page.Page < page.Pages
	data.Rows = h.claimListRows(page.Claims)
	return h.render(c, fiber.StatusOK, "pages/claims/index", "Claims", data)
}

// ClaimsCSV downloads the filtered claims list (every page, up to the export limit).
// It is POSTed so that the filters stay out of the URL.
func (h *Handler) ClaimsCSV(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	ms := h.st.Members
	tins, plan, err := h.contextTINs(c, u)
	if err != nil {
		return err
	}
	f := h.readClaimFilter(c, tins, plan)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/index", "Claims", newClaimsView(f))
	}
	claims, err := ms.ClaimExport(ctx, f.Q)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(claims))
	for _, cl := range claims {
		rows = append(rows, []string{cl.ClaimNo, models.ClaimStatusLabel(cl.Status), formatDate(cl.ReceivedDate), formatDate(cl.ServiceFrom),
			cl.MemberID, cl.MemberName, models.FormatTIN(cl.TIN), csvAmount(cl.Billed), csvAmount(cl.Allowed), csvAmount(cl.Paid), csvAmount(cl.MemberResp)})
	}
	h.audit(c, models.AuditEntry{Action: "claims.export", ObjectType: "claim", Detail: fmt.Sprintf("rows=%d", len(claims))})
	return h.sendCSV(c, "claims-"+h.today()+".csv", []string{"claim_no", "status", "received_date", "service_date", "member_id", "member_name", "tin", "billed", "allowed", "paid", "member_responsibility"}, rows)
}

// csvAmount writes cents as a plain decimal (no currency sign or separators).
func csvAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// ClaimShow is one claim with its service lines (and their adjustments in words), totals,
// member, TIN, the payment that paid it, its history, its disputes and, when the plan
// is waiting for information, what is needed. A claim of another account's TIN looks
// exactly like one that does not exist (404); views and refusals are audited. Opening
// the claim marks the plan's answers to its disputes as seen.
func (h *Handler) ClaimShow(c *fiber.Ctx) error {
	d, err := h.accountClaim(c)
	if err != nil {
		return err
	}
	data, err := h.claimPageData(c, d)
	if err != nil {
		return err
	}
	for _, x := range data.Disputes {
		if !x.Open() && !x.Seen {
			if err := h.claimWork().MarkDisputesSeen(c.UserContext(), d.ID, currentUser(c).AccountID); err != nil {
				return err
			}
			break
		}
	}
	h.audit(c, models.AuditEntry{Action: "claim.view", ObjectType: "claim", ObjectID: d.ClaimNo, MemberID: d.MemberID})
	return h.render(c, fiber.StatusOK, "pages/claims/show", "Claim "+d.ClaimNo, data)
}
